#include "core/text.h"

size_t hs_sanitize(const char *in, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen == 0)
		return 0;
	for (; *in && n + 1 < outlen; in++) {
		unsigned char c = (unsigned char)*in;

		out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[n] = '\0';
	return n;
}

size_t hs_sanitize_n(const char *in, size_t inlen, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen == 0)
		return 0;
	for (; n < inlen && n + 1 < outlen; n++) {
		unsigned char c = (unsigned char)in[n];

		out[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[n] = '\0';
	return n;
}
