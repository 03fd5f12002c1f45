#include "output/json_copy.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static void copy_string(struct hs_jw *w, const char *s, size_t len)
{
	char *clean = malloc(len + 1);

	if (!clean) {
		w->failed = true;
		return;
	}
	hs_sanitize_n(s, len, clean, len + 1);
	hs_jw_string(w, clean);
	free(clean);
}

/* A key that sanitising would change is not one a report of ours has. */
static bool clean_key(const char *k)
{
	char out[128];

	return strlen(k) < sizeof(out) && hs_sanitize(k, out, sizeof(out)) &&
	       !strcmp(out, k);
}

int hs_jw_copy(struct hs_jw *w, json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		if (w->depth + 1 >= HS_JW_MAX_DEPTH) {
			w->failed = true;
			return -1;
		}
		break;
	default:
		break;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		hs_jw_object(w);
		json_object_foreach(v, key, item) {
			if (!clean_key(key))
				continue;
			hs_jw_key(w, key);
			if (hs_jw_copy(w, item) < 0)
				return -1;
		}
		hs_jw_end(w);
		break;
	case JSON_ARRAY:
		hs_jw_array(w);
		json_array_foreach(v, i, item)
			if (hs_jw_copy(w, item) < 0)
				return -1;
		hs_jw_end(w);
		break;
	case JSON_STRING:
		copy_string(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		hs_jw_int(w, (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		hs_jw_real(w, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		hs_jw_bool(w, json_is_true(v));
		break;
	default:
		hs_jw_null(w);
	}
	return 0;
}
