// libxml2's HTML parser and tree. Built with ICU on Debian, its encoding header would pull in
// ICU's headers, which clash with the ICU inside Foundation; this module never touches the
// ICU converter fields, so the headers are read without them.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>

// xmlFree is a global function pointer (Swift sees shared mutable state); call it through this.
static inline void ledger_xml_free(void *p) { xmlFree(p); }
