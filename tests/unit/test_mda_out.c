/*
 * The MDA's writers (src/output/mda_out.c, dot.c): a small diamond as
 * text, JSON (read back by jansson) and DOT, and a hostile reverse-DNS
 * name (quotes, backslashes, a newline, an escape byte) that must stay
 * inside its quoted DOT label.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "mda/mda.h"
#include "output/mda_out.h"

#define HOSTILE "evil\"];\n x -> y [label=\"\\\x1b[2J"

/* A map of two hops: hop 1 two routers (the second named HOSTILE), hop
 * 2 the destination. */
static struct hs_mda *diamond(void)
{
	struct hs_mda *m = hs_mda_new(1, 30, 5);
	struct hs_addr a, b, d;
	int ttl, flow, round;

	hs_addr_parse("10.0.1.1", &a);
	hs_addr_parse("10.0.1.2", &b);
	hs_addr_parse("10.0.0.9", &d);
	for (round = 0; round < 3; round++)
		while (hs_mda_next(m, &ttl, &flow) == HS_MDA_SEND)
			hs_mda_answer(m, ttl, flow, ttl == 2 ? &d :
				      flow % 2 ? &b : &a, ttl == 2);
	snprintf(m->hops[1].responders[1].name, HS_MDA_NAME_MAX, "%s",
		 HOSTILE);
	return m;
}

static char *written(int (*write)(FILE *, const struct hs_mda_view *),
		     const struct hs_mda *m, const char *target)
{
	struct hs_mda_view v = { m, target, "10.0.0.9", "udp", false };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	CHECK(write(fp, &v) == 0);
	fclose(fp);
	return buf;
}

static void dot_quote_escapes_quotes_backslashes_and_controls(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	hs_dot_quote(fp, "a\"b\\c\nd\x1b" "e");
	fclose(fp);
	CHECK_STR(buf, "\"a\\\"b\\\\c?d?e\"");
	free(buf);
}

/* Every quoted string in the DOT text ends on its own line, and the
 * hostile name adds no statement: the lines are what the diamond has. */
static void dot_hostile_name_stays_in_its_label(void)
{
	struct hs_mda *m = diamond();
	char *dot = written(hs_mda_write_dot, m, "host\"\n}");
	char *line, *save = NULL;
	int edges = 0, lines = 0;

	CHECK(strstr(dot, "label=\"10.0.1.2 evil\\\"];? x -> y [label=\\\"\\\\?[2J\"") != NULL);
	CHECK(strstr(dot, "label=\"host\\\"?}\";") != NULL);
	CHECK(strstr(dot, "h1r0 -> h2r0 [label=\"0,2,4\"]") != NULL);
	CHECK(strstr(dot, "h1r1 -> h2r0 [label=\"1,3,5\"]") != NULL);
	for (line = strtok_r(dot, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *c;
		bool in = false;

		lines++;
		for (c = line; *c; c++) {
			if (in && *c == '\\' && c[1])
				c++;
			else if (*c == '"')
				in = !in;
		}
		CHECK(!in); /* no string runs onto the next line */
		edges += strstr(line, " -> ") && !strstr(line, "evil");
	}
	CHECK(edges == 2); /* h1r0 -> h2r0, h1r1 -> h2r0 */
	CHECK(lines == 15);
	free(dot);
	hs_mda_free(m);
}

static void mda_json_has_the_documented_keys(void)
{
	struct hs_mda *m = diamond();
	char *text = written(hs_mda_write_json, m, "dest");
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr), *mda, *hops, *links, *r;

	CHECK(root != NULL);
	mda = json_object_get(root, "mda");
	CHECK(json_integer_value(json_object_get(mda, "probes")) == 17);
	CHECK_STR(json_string_value(json_object_get(mda, "protocol")), "udp");
	hops = json_object_get(mda, "hops");
	CHECK(json_array_size(hops) == 2);
	CHECK(json_integer_value(json_object_get(json_array_get(hops, 0),
						 "probes")) == 11);
	r = json_array_get(json_object_get(json_array_get(hops, 0),
					   "responders"), 1);
	CHECK_STR(json_string_value(json_object_get(r, "address")),
		  "10.0.1.2");
	CHECK_STR(json_string_value(json_object_get(r, "name")),
		  "evil\"];? x -> y [label=\"\\?[2J");
	CHECK(json_array_size(json_object_get(r, "flows")) == 5);
	links = json_object_get(mda, "links");
	CHECK(json_array_size(links) == 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(links, 1),
						    "from")), "10.0.1.2");
	CHECK(json_integer_value(json_object_get(json_array_get(links, 1),
						 "ttl")) == 1);
	json_decref(root);
	free(text);
	hs_mda_free(m);
}

static void mda_text_shows_routers_flows_and_links(void)
{
	struct hs_mda *m = diamond();
	char *text = written(hs_mda_write_text, m, "dest");

	CHECK(strstr(text, "  1. 11 flows, 11 probes:\n"
			   "     10.0.1.1  flows 0,2,4,6,8,10\n"
			   "         -> 10.0.0.9 by flows 0,2,4\n") != NULL);
	CHECK(strstr(text, "(10.0.1.2)  flows 1,3,5,7,9\n") != NULL);
	CHECK(strstr(text, "\x1b") == NULL);
	CHECK(strstr(text, "  2. 6 flows, 6 probes:\n"
			   "     10.0.0.9 [end]  flows 0-5\n") != NULL);
	free(text);
	hs_mda_free(m);
}

int main(void)
{
	RUN(dot_quote_escapes_quotes_backslashes_and_controls);
	RUN(dot_hostile_name_stays_in_its_label);
	RUN(mda_json_has_the_documented_keys);
	RUN(mda_text_shows_routers_flows_and_links);
	return CHECK_DONE();
}
