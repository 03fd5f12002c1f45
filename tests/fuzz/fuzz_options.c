/* libFuzzer target: option parsing.  The input, split at NUL bytes, is
 * the argument vector; its first word is also HOPSCOPE_OPTIONS. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/envopts.h"
#include "cli/options.h"

#define MAX_ARGS 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2], err[512];
	struct options o;
	struct hs_envopts env;
	int argc = 1;
	size_t i, start = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = "hopscope";
	for (i = 0; i <= size && argc <= MAX_ARGS; i++)
		if (copy[i] == '\0') {
			argv[argc++] = copy + start;
			start = i + 1;
		}
	argv[argc] = NULL;
	if (hs_envopts_split(&env, "HOPSCOPE_OPTIONS", argv[1], err,
			     sizeof(err)) == 0)
		hs_options_parse_env(&o, &env, argc, argv, err, sizeof(err));
	hs_envopts_free(&env);
	free(copy);
	return 0;
}
