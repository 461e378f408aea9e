/* SPDX-License-Identifier: MIT */
#ifndef NFK_CLI_H
#define NFK_CLI_H

#define NFK_CLI_VERSION "0.1.0"

/* A verb nft does not have, dispatched from a const table. */
struct nfk_verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

const struct nfk_verb *nfk_cli_verb(const char *name);
/* The verbs' help lines, one per verb. */
const char *nfk_cli_verbs_help(void);

#endif
