// SPDX-License-Identifier: MIT
/* Verbs nft lacks. */
#include <stdio.h>
#include <string.h>

#include "nfkit/nfkit.h"
#include "cli.h"

/* nfkit compile FILE: compile offline (no kernel, no root) and print the
 * expressions exactly as `nft --debug=netlink -f FILE` shows them. */
static int verb_compile(int argc, char **argv)
{
	struct nfk_ctx *ctx;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: nfkit compile FILE\n");
		return 1;
	}
	if (nfk_ctx_new(&ctx) < 0)
		return 1;
	nfk_ctx_set_flags(ctx, NFK_CTX_OFFLINE | NFK_CTX_DEBUG_NETLINK);
	ret = nfk_ctx_run_file(ctx, argv[1]) < 0;
	nfk_ctx_free(ctx);
	return ret;
}

static const struct nfk_verb verbs[] = {
	{ "compile", verb_compile,
	  "  compile FILE                    Compile offline (no kernel, no root) and print the expressions\n" },
};

const struct nfk_verb *nfk_cli_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

const char *nfk_cli_verbs_help(void)
{
	static char help[1024];

	if (!help[0])
		for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
			strncat(help, verbs[i].help, sizeof(help) - strlen(help) - 1);
	return help;
}
