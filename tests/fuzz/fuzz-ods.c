/* fuzz-ods.c: an ODS workbook from a planner: the fuzzed bytes as its content.xml (or the whole
 * file), through the bounded XML reader, the tolerant MSEL import, and an export back. */
#include "config.h"

#include "fuzz-workbook.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const members[] = {
    "mimetype", "application/vnd.oasis.opendocument.spreadsheet",
    "content.xml", NULL,
    NULL,
  };

  fuzz_init ();
  fuzz_workbook ("fuzz.ods", WC_IMPORT_ODS, members, data, size);
  return 0;
}
