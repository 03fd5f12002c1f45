/*
 * The monitor's embedded page (src/serve/page.h, made from
 * src/serve/page.html at build time): present whole, self-contained (no
 * reference to another host, nothing loaded from elsewhere), never
 * turning data into markup, and its Content-Security-Policy's hashes
 * those of its own inline script and style, so the browser runs them.
 */
#include <sodium.h>
#include <stdlib.h>

#include "check.h"
#include "serve/page.h"

/* The one absolute URL the page may hold: SVG's namespace name, which
 * names and is never fetched. */
static const char svg_ns[] = "http://www.w3.org/2000/svg";

static void page_is_there(void)
{
	CHECK(hs_page_len > 1000);
	CHECK(strlen(hs_page_html) == hs_page_len); /* no NUL inside */
	CHECK(strncmp(hs_page_html, "<!DOCTYPE html>", 15) == 0);
	CHECK(strstr(hs_page_html, "<meta charset=\"utf-8\">") != NULL);
	CHECK(strstr(hs_page_html, "</html>") != NULL);
}

/* Count the occurrences of needle in the page that are not svg_ns. */
static int urls_besides_svg(const char *needle)
{
	const char *p = hs_page_html;
	int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n += strncmp(p, svg_ns, strlen(svg_ns)) != 0;
		p += strlen(needle);
	}
	return n;
}

static void nothing_from_other_hosts(void)
{
	CHECK(urls_besides_svg("http://") == 0);
	CHECK(urls_besides_svg("https://") == 0);
	CHECK(strstr(hs_page_html, "\"//") == NULL); /* protocol-relative */
	CHECK(strstr(hs_page_html, "'//") == NULL);
	CHECK(strstr(hs_page_html, "<link") == NULL);
	CHECK(strstr(hs_page_html, "@import") == NULL);
	CHECK(strstr(hs_page_html, "url(") == NULL);
	CHECK(strstr(hs_page_html, " src=") == NULL);
}

/* Data goes into the DOM as text: none of the ways to parse markup. */
static void no_markup_from_data(void)
{
	CHECK(strstr(hs_page_html, "innerHTML") == NULL);
	CHECK(strstr(hs_page_html, "outerHTML") == NULL);
	CHECK(strstr(hs_page_html, "insertAdjacentHTML") == NULL);
	CHECK(strstr(hs_page_html, "document.write") == NULL);
	CHECK(strstr(hs_page_html, "eval(") == NULL);
	CHECK(strstr(hs_page_html, "Function(") == NULL);
}

/* The body of the page's one <tag>...</tag>, malloc'd, or NULL. */
static char *inline_body(const char *tag)
{
	char open[16], close[16];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	a = strstr(hs_page_html, open);
	if (!a)
		return NULL;
	a += strlen(open);
	b = strstr(a, close);
	if (!b || strstr(b + 1, open))
		return NULL; /* unclosed, or a second one */
	return strndup(a, (size_t)(b - a));
}

/* "'sha256-BASE64'" of text, as CSP writes a hash source. */
static void hash_source(const char *text, char *out, size_t outlen)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
					   sodium_base64_VARIANT_ORIGINAL)];

	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2base64(b64, sizeof(b64), h, sizeof(h),
			  sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, outlen, "'sha256-%s'", b64);
}

static void csp_allows_exactly_the_page(void)
{
	const char *tags[] = { "script", "style" };
	char want[128], directive[160];
	size_t i;

	CHECK(strncmp(hs_page_csp, "default-src 'none';", 19) == 0);
	CHECK(strstr(hs_page_csp, "connect-src 'self'") != NULL);
	CHECK(strstr(hs_page_csp, "unsafe") == NULL);
	CHECK(strchr(hs_page_csp, '"') == NULL);
	CHECK(strchr(hs_page_csp, '\n') == NULL);
	for (i = 0; i < 2; i++) {
		char *body = inline_body(tags[i]);

		CHECK(body != NULL);
		if (!body)
			continue;
		hash_source(body, want, sizeof(want));
		snprintf(directive, sizeof(directive), "%s-src %s;", tags[i],
			 want);
		CHECK(strstr(hs_page_csp, directive) != NULL);
		free(body);
	}
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(page_is_there);
	RUN(nothing_from_other_hosts);
	RUN(no_markup_from_data);
	RUN(csp_allows_exactly_the_page);
	return CHECK_DONE();
}
