// SPDX-License-Identifier: MIT
/* nfkit: a drop-in for nft, plus verbs nft lacks. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "nfkit/nfkit.h"
#include "cli.h"

static const char usage_text[] =
	"Usage: %s [ options ] [ cmds... ]\n"
	"\n"
	"Options (general):\n"
	"  -h, --help                      Show this help\n"
	"  -v, --version                   Show version information\n"
	"  -V                              Show extended version information\n"
	"\n"
	"Options (ruleset input handling):\n"
	"  -f, --file <filename>           Read input from <filename>\n"
	"  -D, --define <name=value>       Define variable, e.g. --define foo=1.2.3.4\n"
	"  -I, --includepath <directory>   Add <directory> to the paths searched for include files. Default is: /etc\n"
	"  -c, --check                     Check commands validity without actually applying the changes.\n"
	"\n"
	"Options (ruleset list formatting):\n"
	"  -a, --handle                    Output rule handle.\n"
	"  -s, --stateless                 Omit stateful information of ruleset.\n"
	"  -t, --terse                     Omit contents of sets.\n"
	"  -S, --service                   Translate ports to service names as described in /etc/services.\n"
	"  -N, --reversedns                Translate IP addresses to names.\n"
	"  -u, --guid                      Print UID/GID as defined in /etc/passwd and /etc/group.\n"
	"  -n, --numeric                   Print fully numerical output.\n"
	"  -y, --numeric-priority          Print chain priority numerically.\n"
	"  -p, --numeric-protocol          Print layer 4 protocols numerically.\n"
	"  -T, --numeric-time              Print time values numerically.\n"
	"\n"
	"Options (command output formatting):\n"
	"  -e, --echo                      Echo what has been added, inserted or replaced.\n"
	"  -d, --debug <level [,level...]> Specify debugging level (netlink)\n"
	"\n"
	"Verbs beyond nft (nfkit VERB ...):\n"
	"%s";

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "check", no_argument, NULL, 'c' },
	{ "file", required_argument, NULL, 'f' },
	{ "define", required_argument, NULL, 'D' },
	{ "includepath", required_argument, NULL, 'I' },
	{ "handle", no_argument, NULL, 'a' },
	{ "stateless", no_argument, NULL, 's' },
	{ "terse", no_argument, NULL, 't' },
	{ "service", no_argument, NULL, 'S' },
	{ "reversedns", no_argument, NULL, 'N' },
	{ "guid", no_argument, NULL, 'u' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "numeric-priority", no_argument, NULL, 'y' },
	{ "numeric-protocol", no_argument, NULL, 'p' },
	{ "numeric-time", no_argument, NULL, 'T' },
	{ "echo", no_argument, NULL, 'e' },
	{ "debug", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "interactive", no_argument, NULL, 'i' },
	{ "optimize", no_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

/* Flag options: one row each instead of a case each. */
static const struct { char opt; unsigned flag; } flag_opts[] = {
	{ 'c', NFK_CTX_CHECK }, { 'a', NFK_CTX_HANDLE }, { 's', NFK_CTX_STATELESS },
	{ 't', NFK_CTX_TERSE }, { 'S', NFK_CTX_SERVICE }, { 'N', NFK_CTX_REVERSEDNS },
	{ 'u', NFK_CTX_GUID }, { 'n', NFK_CTX_NUMERIC }, { 'y', NFK_CTX_NUMERIC_PRIO },
	{ 'p', NFK_CTX_NUMERIC_PROTO }, { 'T', NFK_CTX_NUMERIC_TIME }, { 'e', NFK_CTX_ECHO },
};

static int set_debug(unsigned *flags, const char *arg)
{
	char *list = strdup(arg), *save = NULL;
	int ret = 0;

	if (!list)
		return -ENOMEM;
	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "netlink") || !strcmp(tok, "all"))
			*flags |= NFK_CTX_DEBUG_NETLINK;
		else if (strcmp(tok, "scanner") && strcmp(tok, "parser") && strcmp(tok, "eval") &&
			 strcmp(tok, "mnl") && strcmp(tok, "proto-ctx") && strcmp(tok, "segtree")) {
			fprintf(stderr, "invalid debug parameter `%s'\n", tok);
			ret = -EINVAL;
		}
	}
	free(list);
	return ret;
}

/* nft joins the remaining words with single spaces. */
static char *join_words(int argc, char **argv)
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = p = malloc(len);
	if (!s)
		return NULL;
	*s = '\0';
	for (int i = 0; i < argc; i++)
		p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
	return s;
}

int main(int argc, char **argv)
{
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const struct nfk_verb *verb;
	struct nfk_ctx *ctx = NULL;
	const char *file = NULL;
	unsigned flags = 0;
	int opt, ret = 0;
	char *text;

	/* Verbs nft lacks come first: `nfkit compile FILE`. */
	if (argc > 1 && (verb = nfk_cli_verb(argv[1])))
		return verb->run(argc - 1, argv + 1);

	if (nfk_ctx_new(&ctx) < 0)
		return 1;
	/* '+': options end at the first command word, so "meta mark -1" works. */
	while ((opt = getopt_long(argc, argv, "+hvVcf:D:I:astSNunypTejd:io", long_opts, NULL)) != -1) {
		size_t i;

		for (i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++)
			if (flag_opts[i].opt == opt)
				break;
		if (i < sizeof(flag_opts) / sizeof(flag_opts[0])) {
			flags |= flag_opts[i].flag;
			continue;
		}
		switch (opt) {
		case 'h':
			printf(usage_text, prog, nfk_cli_verbs_help());
			goto out;
		case 'v':
			printf("nfkit v%s (nftables 1.0.6 compatible)\n", NFK_CLI_VERSION);
			goto out;
		case 'V':
			printf("nfkit v%s (nftables 1.0.6 compatible)\n  json:\t\tno\n  libc only:\tyes\n",
			       NFK_CLI_VERSION);
			goto out;
		case 'f':
			file = optarg;
			break;
		case 'D': {
			char *eq = strchr(optarg, '=');

			if (!eq) {
				fprintf(stderr, "Error: invalid define: %s\n", optarg);
				ret = 1;
				goto out;
			}
			*eq = '\0';
			ret = nfk_ctx_define(ctx, optarg, eq + 1) < 0;
			if (ret)
				goto out;
			break;
		}
		case 'I':
			if (nfk_ctx_add_include_path(ctx, optarg) < 0) {
				ret = 1;
				goto out;
			}
			break;
		case 'd':
			if (set_debug(&flags, optarg) < 0) {
				ret = 1;
				goto out;
			}
			break;
		case 'j':
			fprintf(stderr, "Error: JSON support not compiled-in\n");
			ret = 1;
			goto out;
		case 'i':
			fprintf(stderr, "Error: interactive mode is not supported by nfkit\n");
			ret = 1;
			goto out;
		case 'o':
			break;   /* optimization is advisory; rules are applied as written */
		default:
			fprintf(stderr, "Try `%s -h' for more information.\n", prog);
			ret = 1;
			goto out;
		}
	}
	nfk_ctx_set_flags(ctx, flags);

	if (file) {
		if (optind < argc) {
			fprintf(stderr, "Error: -f/--file and commands cannot be used together\n");
			ret = 1;
			goto out;
		}
		ret = nfk_ctx_run_file(ctx, file) < 0;
		goto out;
	}
	if (optind == argc) {
		fprintf(stderr, "%s: no command specified\n", prog);
		ret = 1;
		goto out;
	}
	text = join_words(argc - optind, argv + optind);
	if (!text) {
		ret = 1;
		goto out;
	}
	ret = nfk_ctx_run(ctx, text) < 0;
	free(text);
out:
	nfk_ctx_free(ctx);
	return ret;
}
