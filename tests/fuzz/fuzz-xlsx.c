/* fuzz-xlsx.c: an XLSX workbook from a planner: the fuzzed bytes as its sheet (or the whole file),
 * through the bounded XML readers, the tolerant MSEL import, and an export back. */
#include "config.h"

#include "fuzz-workbook.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const members[] = {
    "[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
    "xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                       "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                       "<sheets><sheet name=\"MSEL\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
    "xl/sharedStrings.xml", "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                            "<si><t>Time</t></si><si><t>Subject</t></si><si><t>To</t></si></sst>",
    "xl/styles.xml", "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                     "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"20\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>",
    "xl/worksheets/sheet1.xml", NULL,
    NULL,
  };

  fuzz_init ();
  fuzz_workbook ("fuzz.xlsx", WC_IMPORT_XLSX, members, data, size);
  return 0;
}
