/*
 * Reading saved reports back: nothing larger than hopscope writes, and no
 * count a run cannot produce, is accepted; the largest report hopscope can
 * write still is.
 */
#include <stdlib.h>

#include "analysis/diagnose.h"
#include "check.h"
#include "path_fixture.h"
#include "output/json.h"
#include "output/json_read.h"
#include "resolve/owner.h"

static struct hs_saved_report rep;
static char err[512];

/* Into rep, the report read before freed. */
static int read_buf(const char *text, size_t len)
{
	hs_saved_report_free(&rep);
	err[0] = '\0';
	return hs_json_read_buf(text, len, &rep, err, sizeof(err));
}

static int read_text(const char *text)
{
	return read_buf(text, strlen(text));
}

/* A report of one hub with these figures. */
static int read_hub_with(const char *figures)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "{\"report\": {\"mtr\": {\"dst\": \"d\"}, \"hubs\": "
		 "[{\"count\": 1, \"host\": \"198.18.1.2\", %s}]}}", figures);
	return read_text(text);
}

static void refused_with(const char *figures, const char *words)
{
	CHECK(read_hub_with(figures) < 0);
	if (!strstr(err, words))
		fprintf(stderr, "  %s: \"%s\" lacks \"%s\"\n", figures, err,
			words);
	CHECK(strstr(err, words) != NULL);
}

static void counts_a_run_can_make(void)
{
	CHECK(read_hub_with("\"Snt\": 10, \"Rcv\": 8, \"Loss%\": 20.0") == 0);
	CHECK(rep.path->hops[1].st.lost == 2);
	/* mtr: no Rcv, counts from Loss%; numbers as strings */
	CHECK(read_hub_with("\"Snt\": \"10\", \"Loss%\": 30") == 0);
	CHECK(rep.path->hops[1].st.recv == 7);
	/* one probe in flight: 1 lost of 9 answered or timed out */
	CHECK(read_hub_with("\"Snt\": 10, \"Rcv\": 8, \"Loss%\": 11.11") == 0);
	CHECK(read_hub_with("\"Snt\": 2147483647, \"Rcv\": 2147483647, "
			    "\"Loss%\": 0") == 0);
	CHECK(rep.path->hops[1].st.sent == 2147483647u);
}

/* -z's owner read back, for --diagnose to name it; hostile names
 * sanitised, nonsense numbers dropped. */
static void owners_read_back(void)
{
	const struct hs_owner *o;

	CHECK(read_hub_with("\"Snt\": 10, \"Rcv\": 10, \"owner\": "
			    "{\"asn\": 64502, \"as_name\": \"T\\u001b[2J\"}") == 0);
	o = rep.path->hops[1].resp[0].owner;
	CHECK(o && o->asn == 64502 && !strchr(o->name, 0x1b));
	/* mtr's key */
	CHECK(read_hub_with("\"Snt\": 10, \"Rcv\": 10, \"ASN\": "
			    "\"AS15169\"") == 0);
	o = rep.path->hops[1].resp[0].owner;
	CHECK(o && o->asn == 15169);
	CHECK(read_hub_with("\"Snt\": 10, \"Rcv\": 10, \"ASN\": "
			    "\"AS???\"") == 0);
	CHECK(rep.path->hops[1].resp[0].owner == NULL);
	CHECK(read_hub_with("\"Snt\": 10, \"Rcv\": 10, \"owner\": "
			    "{\"asn\": -5}") == 0);
	CHECK(rep.path->hops[1].resp[0].owner == NULL);
}

static void counts_no_run_can_make(void)
{
	refused_with("\"Snt\": 2147483648", "hop 1: \"Snt\" is 2147483648, "
		     "outside 0 to 2147483647");
	refused_with("\"Snt\": 1e300", "\"Snt\" is 1e+300, outside");
	refused_with("\"Snt\": -1", "\"Snt\" is -1, outside");
	refused_with("\"Snt\": 10, \"Rcv\": -3", "\"Rcv\" is -3, outside");
	refused_with("\"Snt\": 10.5", "\"Snt\" is not a whole number");
	refused_with("\"Snt\": \"many\"", "\"Snt\" is not a whole number");
	refused_with("\"Snt\": true", "\"Snt\" is not a whole number");
	refused_with("\"Snt\": 10, \"Rcv\": 12", "hop 1: \"Rcv\" 12 is more "
		     "than \"Snt\" 10");
	refused_with("\"Snt\": 10, \"Rcv\": 10, \"Loss%\": 50",
		     "\"Loss%\" 50.00 does not fit \"Snt\" 10 and \"Rcv\" 10");
	refused_with("\"Snt\": 10, \"Loss%\": 150", "\"Loss%\" 150.00");
	refused_with("\"Snt\": 10, \"Loss%\": -5", "\"Loss%\" -5.00");
	refused_with("\"Snt\": 10, \"Loss%\": \"lots\"", "\"Loss%\" nan");
}

/* A JSON text of n hubs, each the smallest a hub can be. */
static char *many_hubs(size_t n)
{
	static const char hub[] = "{\"count\":1},";
	size_t len = 32 + n * (sizeof(hub) - 1), i;
	char *text = malloc(len), *w = text;

	if (!text)
		abort();
	w += sprintf(w, "{\"report\":{\"hubs\":[");
	for (i = 0; i < n; i++)
		w += sprintf(w, "%s", hub);
	sprintf(w - 1, "]}}");
	return text;
}

static void more_hubs_than_hopscope_writes(void)
{
	char *text = many_hubs(HS_MAX_TTL);

	CHECK(read_text(text) == 0);
	free(text);
	text = many_hubs(HS_MAX_TTL + 1);
	CHECK(read_text(text) < 0);
	CHECK(strstr(err, "input: 256 hubs, more than hopscope writes (at "
		      "most 255, one a hop)") != NULL);
	free(text);
	CHECK(read_text("{\"report\":{\"hubs\":[{\"count\":1,\"responders\":"
			"[1,2,3,4,5,6,7,8,9]}]}}") < 0);
	CHECK(strstr(err, "hop 1: 9 responders, more than hopscope writes "
		      "(at most 8)") != NULL);
}

static void more_than_the_largest_report(void)
{
	size_t big = HS_JSON_MAX_BYTES + 1, n = HS_JSON_MAX_VALUES + 1, i;
	char *text = malloc(big > 2 * n + 2 ? big : 2 * n + 2);

	if (!text)
		abort();
	/* valid JSON, but white space beyond the bound */
	memset(text, ' ', big);
	memcpy(text, "{\"report\":{}}", 13);
	CHECK(read_buf(text, big) < 0);
	CHECK(strstr(err, "bytes, the most a hopscope report of 255 hops "
		      "can take") != NULL);
	/* small, but a parse tree far larger than any report's */
	text[0] = '[';
	for (i = 0; i < n; i++)
		memcpy(text + 1 + 2 * i, "0,", 2);
	text[2 * n] = ']';
	CHECK(read_buf(text, 2 * n + 1) < 0);
	CHECK(strstr(err, "JSON values, the most a hopscope report of 255 "
		      "hops holds") != NULL);
	free(text);
}

/* Every field at its longest: names of quotes (escaped twice as long),
 * a target of control bytes (six times), full MPLS stacks. */
static void fill_largest(struct hs_path **pp, struct hs_run_info *info,
			 struct hs_diagnosis *d)
{
	struct hs_path *p;
	struct hs_addr tgt, a;
	char ip[64];
	int t, i, l;

	hs_addr_parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", &tgt);
	renew_path(pp, &tgt, 1, HS_MAX_TTL);
	p = *pp;
	for (t = 1; t <= HS_MAX_TTL; t++) {
		struct hs_hop *h = &p->hops[t];

		for (i = 0; i < HS_MAX_RESPONDERS; i++) {
			struct hs_responder *r;

			snprintf(ip, sizeof(ip), "2001:db8:ffff:ffff:ffff:"
				 "ffff:%04x:%04x", t, i);
			hs_addr_parse(ip, &a);
			hs_path_sent(p, t);
			r = hs_path_reply(p, t, &a, 123456.789012);
			memset(r->name, '"', HS_NAME_MAX - 1);
			r->mpls.n = HS_MPLS_MAX;
			for (l = 0; l < HS_MPLS_MAX; l++)
				r->mpls.l[l] = (struct hs_mpls_label){
					1048575, 7, 1, 255 };
		}
		h->st.sent = 2147483647;
		h->st.recv = 2147483647;
		h->st.lost = 0;
	}
	p->dest_ttl = HS_MAX_TTL;
	memset(info, 0, sizeof(*info));
	memset(info->target, 1, sizeof(info->target) - 1);
	memset(info->local_host, '"', sizeof(info->local_host) - 1);
	info->show_ips = true;
	info->probe_mode = "raw ICMP";
	memset(d, 0, sizeof(*d));
	memset(d->summary, '"', HS_DIAG_TEXT - 1);
	d->n_findings = HS_DIAG_MAX_FINDINGS;
	for (i = 0; i < HS_DIAG_MAX_FINDINGS; i++) {
		d->findings[i].code = "more-cycles-needed";
		d->findings[i].hop = HS_MAX_TTL;
		memset(d->findings[i].text, '"', HS_DIAG_TEXT - 1);
	}
	d->n_advice = HS_DIAG_MAX_ADVICE;
	for (i = 0; i < HS_DIAG_MAX_ADVICE; i++)
		memset(d->advice[i], '"', HS_DIAG_TEXT - 1);
}

/* The bounds are honest: the largest report hopscope writes is read. */
static void largest_report_is_read(void)
{
	struct hs_path *p = NULL;
	static struct hs_diagnosis d;
	struct hs_run_info info;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	fill_largest(&p, &info, &d);
	CHECK(hs_json_write(f, p, &info, &d, NULL) == 0);
	fclose(f);
	err[0] = '\0';
	printf("# largest report: %zu bytes of at most %zu\n", len,
	       HS_JSON_MAX_BYTES);
	CHECK(len <= HS_JSON_MAX_BYTES);
	CHECK(read_buf(text, len) == 0);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	CHECK(rep.path->hops[HS_MAX_TTL].st.sent == 2147483647u);
	free(text);
	hs_path_free(p);
}

int main(void)
{
	RUN(counts_a_run_can_make);
	RUN(owners_read_back);
	RUN(counts_no_run_can_make);
	RUN(more_hubs_than_hopscope_writes);
	RUN(more_than_the_largest_report);
	RUN(largest_report_is_read);
	hs_saved_report_free(&rep);
	return CHECK_DONE();
}
