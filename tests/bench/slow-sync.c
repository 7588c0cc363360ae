/* slow-sync.c: an LD_PRELOAD shim for the benchmarks: every fsync() and fdatasync() takes
 * WC_SLOW_SYNC_MS longer (10 ms unless said), as on a laptop's SSD or a USB disk, so that what
 * a slow disk does to the server shows on any machine.
 *
 *   LD_PRELOAD=_build/tests/bench/libslow-sync.so bench-http 1000
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void
delay (void)
{
  const char *env = getenv ("WC_SLOW_SYNC_MS");
  long ms = env ? strtol (env, NULL, 10) : 10;
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  while (ms > 0 && nanosleep (&ts, &ts) != 0)
    ;
}

int
fsync (int fd)
{
  static int (*real) (int);

  if (real == NULL)
    real = (int (*) (int)) dlsym (RTLD_NEXT, "fsync");
  delay ();
  return real (fd);
}

int
fdatasync (int fd)
{
  static int (*real) (int);

  if (real == NULL)
    real = (int (*) (int)) dlsym (RTLD_NEXT, "fdatasync");
  delay ();
  return real (fd);
}
