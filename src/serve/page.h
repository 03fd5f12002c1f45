/*
 * The monitor's web page (served at "/"), embedded at build time from
 * src/serve/page.html by tools/embed_page.py.
 */
#ifndef HS_SERVE_PAGE_H
#define HS_SERVE_PAGE_H

#include <stddef.h>

/* The page, UTF-8 HTML, NUL-terminated; hs_page_len leaves the NUL out. */
extern const char hs_page_html[];
extern const size_t hs_page_len;

/* The Content-Security-Policy header value to send with the page: only
 * its own inline script and style (by hash) and fetches to the same
 * origin. */
extern const char hs_page_csp[];

#endif
