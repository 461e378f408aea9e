// SPDX-License-Identifier: MIT
/* libFuzzer target: nft text -> parse -> offline compile -> debug print.
 * Any input must give either diagnostics or a batch, never a crash, and
 * every message the compiler emits must pass its own schema. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "obj/objects.h"

static int check_msg(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct nfk_verr err;

	(void)cookie;
	(void)arg;
	if (nfk_msg_validate(nlh, &err) < 0) {
		fprintf(stderr, "compiler emitted an invalid message %zu: %s\n", index, err.msg);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nfk_compile_opts o = { 0 };
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	struct nfk_batch *b = NULL;
	char *text = malloc(size + 1);
	FILE *sink = fopen("/dev/null", "w");

	if (!text || !sink)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	if (nfk_script_parse(&sc, "fuzz.nft", text, &ds) == 0 && nfk_batch_new(&b) == 0 &&
	    nfk_script_compile(sc, &o, b, &ds) == 0) {
		nfk_batch_for_each(b, check_msg, NULL);
		nfk_batch_print_debug(sink, b);
	}
	for (unsigned i = 0; i < ds.n && i < NFK_DIAG_MAX; i++)
		nfk_diag_print(sink, &ds.d[i]);
out:
	nfk_batch_free(b);
	nfk_script_free(sc);
	free(text);
	if (sink)
		fclose(sink);
	return 0;
}
