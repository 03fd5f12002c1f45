/* The engine's pure parts: the rate budget and the target list. */
#include <stdlib.h>

#include "check.h"
#include "cli/targets.h"
#include "engine/bucket.h"
#include "engine/due.h"
#include "engine/engine.h"
#include "probe/flow.h"
#include "probe/sctp.h"
#include "probe/udp.h"
#include "trace/trace.h"

#define MS 1000000LL
#define SEC 1000000000LL

static void bucket_starts_full_and_grants_its_burst(void)
{
	struct hs_bucket b;

	hs_bucket_init(&b, 1000, 10, 0);
	CHECK(hs_bucket_take(&b, 0, 100) == 10);
	CHECK(hs_bucket_take(&b, 0, 1) == 0);
	CHECK(hs_bucket_wait_ns(&b, 0) == 1 * MS);
}

static void bucket_refills_at_its_rate(void)
{
	struct hs_bucket b;
	int64_t t, got = 0;

	hs_bucket_init(&b, 2000, 20, 0);
	hs_bucket_take(&b, 0, 20);
	/* one second asked for in 1 ms steps gets exactly the rate */
	for (t = MS; t <= SEC; t += MS)
		got += hs_bucket_take(&b, t, 1000);
	CHECK(got == 2000);
	/* an odd rate over odd steps loses nothing to rounding */
	hs_bucket_init(&b, 3, 1, 0);
	hs_bucket_take(&b, 0, 1);
	got = 0;
	for (t = 7 * MS; t <= 10 * SEC; t += 7 * MS)
		got += hs_bucket_take(&b, t, 1);
	CHECK(got == 29 || got == 30);
}

static void bucket_caps_credit_after_a_long_idle(void)
{
	struct hs_bucket b;

	hs_bucket_init(&b, 1000000, 100, 0);
	hs_bucket_take(&b, 0, 100);
	/* days idle: no overflow, and no more than the burst */
	CHECK(hs_bucket_take(&b, 5 * 86400 * SEC, 1000000) == 100);
	CHECK(hs_bucket_wait_ns(&b, 5 * 86400 * SEC) == 1000); /* 1 us */
}

static void bucket_ignores_a_clock_going_back(void)
{
	struct hs_bucket b;

	hs_bucket_init(&b, 10, 1, SEC);
	CHECK(hs_bucket_take(&b, SEC, 1) == 1);
	CHECK(hs_bucket_take(&b, 0, 1) == 0);
	CHECK(hs_bucket_take(&b, SEC + 100 * MS, 1) == 1);
}

static void bucket_no_window_over_the_budget(void)
{
	struct hs_bucket b;
	int64_t rate = 5000, t, win[100] = { 0 };
	int i;

	hs_bucket_init(&b, rate, hs_bucket_default_burst(rate), 0);
	/* a greedy sender polling every 0.3 ms for 10 s */
	for (t = 0; t < 10 * SEC; t += 300000)
		win[t / (100 * MS)] += hs_bucket_take(&b, t, 1000);
	for (i = 1; i < 100; i++)
		CHECK(win[i] <= rate / 10 * 12 / 10);
	CHECK(hs_bucket_default_burst(1) == 1);
	CHECK(hs_bucket_default_burst(2000) == 20);
}

static void targets_file_lines(void)
{
	struct hs_targets t = { 0 };
	char err[256] = "";
	const char text[] = "# fleet\n\nhost-a.example\n  198.19.0.1  \r\n"
			    "2001:db8::1 # a comment\nfe80::1%eth0\n"
			    "\t# indented comment\nlast.example";

	CHECK(hs_targets_parse(&t, "f", text, sizeof(text) - 1, err,
			       sizeof(err)) == 0);
	CHECK(t.n == 5);
	if (t.n == 5) {
		CHECK_STR(t.host[0], "host-a.example");
		CHECK_STR(t.host[1], "198.19.0.1");
		CHECK_STR(t.host[2], "2001:db8::1");
		CHECK_STR(t.host[3], "fe80::1%eth0");
		CHECK_STR(t.host[4], "last.example");
	}
	hs_targets_free(&t);
}

static void expect_bad_len(const char *text, size_t len, const char *msg)
{
	struct hs_targets t = { 0 };
	char err[256] = "";

	hs_targets_add(&t, "kept.example", err, sizeof(err));
	CHECK(hs_targets_parse(&t, "hosts.txt", text, len, err,
			       sizeof(err)) < 0);
	CHECK_STR(err, msg);
	CHECK(t.n == 1); /* nothing of a bad file is kept */
	hs_targets_free(&t);
}

static void expect_bad(const char *text, const char *msg)
{
	expect_bad_len(text, strlen(text), msg);
}

static void targets_bad_lines_named(void)
{
	expect_bad("a.example\ntwo words\n",
		   "-F hosts.txt line 2: 'two words' is not a host name or "
		   "address");
	expect_bad("a\nb\n-rf\n", "-F hosts.txt line 3: '-rf' is not a host "
				  "name or address");
	expect_bad("\x1b[31mred\n", "-F hosts.txt line 1: '?[31mred' is not a "
				    "host name or address");
	expect_bad("ok\n\nhost/path\n", "-F hosts.txt line 3: 'host/path' is "
					"not a host name or address");
	expect_bad(".\n", "-F hosts.txt line 1: '.' is not a host name or "
			  "address");
	expect_bad_len("a\0b\n", 4, "-F hosts.txt: not a text file (NUL byte)");
}

static void targets_overlong_name_cut_in_message(void)
{
	char text[300];

	memset(text, 'a', 254);
	text[254] = '\0';
	expect_bad(text, "-F hosts.txt line 1: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			 "...' is not a host name or address");
}

static void targets_command_line_checked(void)
{
	struct hs_targets t = { 0 };
	char err[256] = "";

	CHECK(hs_targets_add(&t, "-x", err, sizeof(err)) < 0);
	CHECK_STR(err, "host: '-x' is not a host name or address");
	CHECK(hs_targets_add(&t, "", err, sizeof(err)) < 0);
	CHECK(hs_targets_add(&t, "198.18.1.2", err, sizeof(err)) == 0);
	CHECK(t.n == 1);
	hs_targets_free(&t);
}

static void targets_read_missing_file(void)
{
	struct hs_targets t = { 0 };
	char err[256] = "";

	CHECK(hs_targets_read(&t, "/nonexistent/hosts", err,
			      sizeof(err)) < 0);
	CHECK_STR(err, "-F /nonexistent/hosts: No such file or directory");
	CHECK(hs_targets_read(&t, "/", err, sizeof(err)) < 0);
	CHECK_STR(err, "-F /: Is a directory");
	hs_targets_free(&t);
}

static void due_in_time_then_argument_order(void)
{
	struct hs_due d;
	uint32_t idx, i;
	int64_t at, last = -1;
	uint32_t last_idx = 0;

	CHECK(hs_due_init(&d, 1000) == 0);
	for (i = 0; i < 1000; i++) /* times 0..9, many traces at each */
		hs_due_push(&d, i, (int64_t)((i * 7919) % 10));
	hs_due_push(&d, 5000, 0); /* full: ignored */
	for (i = 0; i < 1000; i++) {
		CHECK(hs_due_first(&d, &idx, &at));
		CHECK(at > last || (at == last && idx > last_idx));
		last = at;
		last_idx = idx;
		hs_due_pop(&d);
	}
	CHECK(!hs_due_first(&d, &idx, &at));
	hs_due_free(&d);
}

static int64_t reversed(uint32_t idx, const void *arg)
{
	(void)arg;
	return 100 - (int64_t)idx;
}

static void due_rekeyed_after_a_pause(void)
{
	struct hs_due d;
	uint32_t idx, i;

	hs_due_init(&d, 10);
	for (i = 0; i < 10; i++)
		hs_due_push(&d, i, i);
	hs_due_rekey(&d, reversed, NULL);
	hs_due_first(&d, &idx, NULL);
	CHECK(idx == 9);
	hs_due_free(&d);
}

/* Cycle 0 of many traces goes no further than answers justify. */
static void paced_first_cycle_follows_answers(void)
{
	struct hs_trace t = { .cycles_sent = 1, .next_ttl = 1 };
	struct hs_addr tgt, r;
	struct hs_path *p;

	hs_addr_parse("198.19.0.1", &tgt);
	p = t.path = hs_path_new(&tgt, 1, 30);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(hs_trace_last_ttl(&t, 5, true) == 5);
	CHECK(hs_trace_last_ttl(&t, 5, false) == 30); /* one host: all */
	t.next_ttl = 6;
	t.waiting = 2; /* answers may come: wait */
	CHECK(hs_trace_next_ttl(&t, 5, true) == -1);
	hs_addr_parse("198.18.3.2", &r);
	hs_path_reply(p, 3, &r, 1.0);
	CHECK(hs_trace_next_ttl(&t, 5, true) == 6); /* now up to 8 */
	t.next_ttl = 9;
	t.waiting = 0; /* nothing more to learn: the cycle is complete */
	CHECK(hs_trace_next_ttl(&t, 5, true) == 0);
	hs_path_reply(p, 4, &tgt, 1.0); /* the end is known */
	t.next_ttl = 5;
	t.waiting = 3;
	CHECK(hs_trace_next_ttl(&t, 5, true) == 0);
	CHECK(!hs_trace_settled(&t));
	hs_path_free(p);
}

/* Each kind numbers its probes from its own lowest number (the screen's
 * u and t renumber the table with it). */
static void low_seq_by_kind(void)
{
	struct options o = { 0 };

	CHECK(hs_engine_low_seq(&o) == 0);		 /* ICMP */
	o.udp = true;
	CHECK(hs_engine_low_seq(&o) == HS_FLOW_UDP_LOW_SEQ); /* checksums */
	o.flow_vary = true;
	CHECK(hs_engine_low_seq(&o) == HS_UDP_FIRST_PORT); /* ports */
	o.port_given = true;
	CHECK(hs_engine_low_seq(&o) == 0); /* one port: the number inside */
	o = (struct options){ .tcp = true };
	CHECK(hs_engine_low_seq(&o) == 0);
	o = (struct options){ .sctp = true };
	CHECK(hs_engine_low_seq(&o) == HS_SCTP_FIRST_PORT); /* source ports */
}

int main(void)
{
	RUN(low_seq_by_kind);
	RUN(due_in_time_then_argument_order);
	RUN(due_rekeyed_after_a_pause);
	RUN(paced_first_cycle_follows_answers);
	RUN(bucket_starts_full_and_grants_its_burst);
	RUN(bucket_refills_at_its_rate);
	RUN(bucket_caps_credit_after_a_long_idle);
	RUN(bucket_ignores_a_clock_going_back);
	RUN(bucket_no_window_over_the_budget);
	RUN(targets_file_lines);
	RUN(targets_bad_lines_named);
	RUN(targets_overlong_name_cut_in_message);
	RUN(targets_command_line_checked);
	RUN(targets_read_missing_file);
	return CHECK_DONE();
}
