#include "stamp/accept.h"

const char *hs_stamp_refusal_name(int why)
{
	static const char *const names[HS_STAMP_REFUSED_N] = {
		"unauthenticated", "bad_hmac", "rate", "peers", "malformed"
	};

	return why >= 0 && why < HS_STAMP_REFUSED_N ? names[why] : "?";
}

int hs_stamp_accept(const uint8_t *buf, size_t len,
		    const struct hs_stamp_key *key, bool open,
		    struct hs_stamp_sender *sent,
		    const struct hs_stamp_key **answer_key,
		    enum hs_stamp_refusal *why)
{
	if (len < HS_STAMP_BASE_LEN || len > HS_STAMP_MAX_LEN) {
		*why = HS_STAMP_REFUSED_MALFORMED;
		return -1;
	}
	if (key && len >= HS_STAMP_AUTH_BASE_LEN &&
	    hs_stamp_sender_parse(buf, len, key, sent) == HS_STAMP_OK) {
		*answer_key = key;
		return 0;
	}
	if (open && hs_stamp_sender_parse(buf, len, NULL, sent) ==
			    HS_STAMP_OK) {
		*answer_key = NULL;
		return 0;
	}
	*why = len < HS_STAMP_AUTH_BASE_LEN || !key ?
		       HS_STAMP_REFUSED_UNAUTH : HS_STAMP_REFUSED_BAD_HMAC;
	return -1;
}
