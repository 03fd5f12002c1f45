/*
 * The shared key file (src/core/keyfile.c): the owner's alone is read,
 * one that group or others may read or write is refused, as is a
 * directory, a missing file, one too short or too long; trailing line
 * breaks and blanks are cut; the HTTP key against Python's hmac.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "core/keyfile.h"

static char dir[] = "/tmp/hs_keyfile_XXXXXX";
static char path[256];

static const char key_text[] = "hopscope-keyfile-test-0123456789";
/* hmac.new(key_text, b"hopscope traceback v1", hashlib.sha256).digest(),
 * computed with Python when this test was written */
static const unsigned char http_kat[32] = {
	0xaa, 0xaf, 0xf2, 0xfe, 0x8f, 0xf5, 0xf9, 0x93, 0x57, 0xbe, 0xb9,
	0x97, 0x2a, 0xf3, 0x39, 0x81, 0xcc, 0x92, 0xda, 0xb0, 0xb1, 0x90,
	0x2c, 0x1a, 0x29, 0x8e, 0x65, 0x9b, 0x5c, 0x3a, 0x87, 0x20,
};

/* path holds len octets of text, with mode. */
static void put(const char *text, size_t len, mode_t mode)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/key", dir);
	unlink(path);
	f = fopen(path, "w");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	chmod(path, mode);
}

static int load(struct hs_keyfile *k, char *err, size_t errlen)
{
	err[0] = '\0';
	return hs_keyfile_read("--traceback-key", path, k, err, errlen);
}

static void owner_only_read(void)
{
	struct hs_keyfile k;
	char err[300];

	put(key_text, strlen(key_text), 0600);
	CHECK(load(&k, err, sizeof(err)) == 0);
	CHECK(k.stamp_len == strlen(key_text));
	CHECK(!memcmp(k.stamp, key_text, strlen(key_text)));
	CHECK(!memcmp(k.http, http_kat, sizeof(http_kat)));
	put(key_text, strlen(key_text), 0400);
	CHECK(load(&k, err, sizeof(err)) == 0);
	hs_keyfile_clear(&k);
	CHECK(k.stamp_len == 0 && k.stamp[0] == 0);
}

static void trailing_breaks_cut(void)
{
	struct hs_keyfile k;
	char err[300], text[64];

	snprintf(text, sizeof(text), "%s \t\r\n\n", key_text);
	put(text, strlen(text), 0600);
	CHECK(load(&k, err, sizeof(err)) == 0);
	CHECK(k.stamp_len == strlen(key_text));
	/* the same key as without them: the same HTTP key */
	CHECK(!memcmp(k.http, http_kat, sizeof(http_kat)));
}

static void others_refused(void)
{
	static const mode_t modes[] = { 0640, 0604, 0620, 0602, 0644, 0660,
					0610, 0601 };
	struct hs_keyfile k;
	char err[300];
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		put(key_text, strlen(key_text), modes[i]);
		CHECK(load(&k, err, sizeof(err)) == -1);
		CHECK(strstr(err, "--traceback-key") && strstr(err, path) &&
		      strstr(err, "chmod 600"));
		CHECK(!strchr(err, '\n'));
		CHECK(k.stamp_len == 0);
	}
}

static void not_a_file_refused(void)
{
	struct hs_keyfile k;
	char err[300];

	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	CHECK(load(&k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "not a regular file") != NULL);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK(load(&k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "cannot read") && strstr(err, path));
}

static void length_bounds(void)
{
	static char big[HS_KEY_MAX + 8];
	struct hs_keyfile k;
	char err[300];

	put("0123456789abcde\n", 16, 0600); /* 15 octets of key */
	CHECK(load(&k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "fewer than 16") != NULL);
	put("0123456789abcdef\n", 17, 0600);
	CHECK(load(&k, err, sizeof(err)) == 0 && k.stamp_len == 16);
	put("\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n", 18, 0600);
	CHECK(load(&k, err, sizeof(err)) == -1);
	memset(big, 'k', sizeof(big));
	put(big, HS_KEY_MAX - 1, 0600);
	CHECK(load(&k, err, sizeof(err)) == 0 &&
	      k.stamp_len == HS_KEY_MAX - 1);
	put(big, HS_KEY_MAX, 0600);
	CHECK(load(&k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "longer") != NULL);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(owner_only_read);
	RUN(trailing_breaks_cut);
	RUN(others_refused);
	RUN(not_a_file_refused);
	RUN(length_bounds);
	snprintf(path, sizeof(path), "%s/key", dir);
	unlink(path);
	rmdir(dir);
	return CHECK_DONE();
}
