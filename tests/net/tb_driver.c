/*
 * The near side's traceback client (src/twoway/client.h) on its own:
 *   tb_driver URL KEYFILE [-c CYCLES] [-i INTERVAL] [-w WAIT_S] [-C CA]
 * Starts a traceback, prints "ticket ID PEER CYCLES INTERVAL", fetches
 * the report and prints it.  On a failure: "tb_driver: WHY" on stderr,
 * exit 1 (2: bad arguments).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/keyfile.h"
#include "twoway/client.h"

int main(int argc, char **argv)
{
	struct hs_tb_client c = { .cancel_fd = -1 };
	struct hs_tb_ticket t;
	struct hs_keyfile k;
	double interval = 0, wait_s = 30;
	int opt, cycles = 0;
	char err[512], *report;
	size_t len;

	while ((opt = getopt(argc, argv, "c:i:w:C:")) != -1) {
		if (opt == 'c')
			cycles = atoi(optarg);
		else if (opt == 'i')
			interval = atof(optarg);
		else if (opt == 'w')
			wait_s = atof(optarg);
		else if (opt == 'C')
			c.ca_file = optarg;
		else
			return 2;
	}
	if (optind != argc - 2) {
		fprintf(stderr, "usage: tb_driver URL KEYFILE [-c N] [-i S] "
			"[-w S] [-C CA]\n");
		return 2;
	}
	if (hs_keyfile_read("KEYFILE", argv[optind + 1], &k, err,
			    sizeof(err)) < 0) {
		fprintf(stderr, "tb_driver: %s\n", err);
		return 2;
	}
	c.url = argv[optind];
	c.http_key = k.http;
	if (hs_tb_start(&c, cycles, interval, 0, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "tb_driver: %s\n", err);
		return 1;
	}
	printf("ticket %s %s %d %g\n", t.id, t.peer, t.cycles, t.interval);
	fflush(stdout);
	if (hs_tb_fetch(&c, &t, wait_s, &report, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "tb_driver: %s\n", err);
		return 1;
	}
	fwrite(report, 1, len, stdout);
	putchar('\n');
	free(report);
	hs_keyfile_clear(&k);
	return 0;
}
