/* wc-journal-details.h: the journal's fingerprint as `whitecellctl verify` prints it (its path,
 * how many records, the SHA-256 of its last line), for a reviewer to compare; and a dialog that
 * shows it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WC_TYPE_JOURNAL_DETAILS (wc_journal_details_get_type ())
G_DECLARE_FINAL_TYPE (WcJournalDetails, wc_journal_details, WC, JOURNAL_DETAILS, GtkWidget)

GtkWidget  *wc_journal_details_new           (void);
/* @head_hash: 64 hex digits, shown shortened; the copy button copies all of it. */
void        wc_journal_details_set           (WcJournalDetails *self,
                                              const char       *path,
                                              guint64           n_records,
                                              const char       *head_hash);
const char *wc_journal_details_get_head_hash (WcJournalDetails *self);
/* The shortened hash as shown: "3f2a9c0e…b71d". */
const char *wc_journal_details_get_shown_hash (WcJournalDetails *self);
/* A dialog over @parent showing the details; the caller presents it. */
AdwMessageDialog *wc_journal_details_dialog  (GtkWindow        *parent,
                                              const char       *path,
                                              guint64           n_records,
                                              const char       *head_hash);

G_END_DECLS
