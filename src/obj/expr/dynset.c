// SPDX-License-Identifier: MIT
#include <inttypes.h>

#include "expr.h"

static const struct nfk_field dynset_fields[] = {
	F(NFTA_DYNSET_SET_NAME, "set_name", NFK_STR, .flags = NFK_F_REQUIRED, .maxlen = 256),
	F(NFTA_DYNSET_SET_ID, "set_id", NFK_BE32),
	F(NFTA_DYNSET_OP, "op", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_DYNSET_SREG_KEY, "sreg_key", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_DYNSET_SREG_DATA, "sreg_data", NFK_BE32),
	F(NFTA_DYNSET_TIMEOUT, "timeout", NFK_BE64),
	F(NFTA_DYNSET_EXPR, "expr", NFK_EXPR),
	F(NFTA_DYNSET_PAD, "pad", NFK_BIN),
	F(NFTA_DYNSET_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_DYNSET_EXPRESSIONS, "expressions", NFK_EXPRS),
};
static const struct nfk_schema dynset_schema = NFK_SCHEMA("dynset", dynset_fields);

static const char *const dynset_ops[] = {
	[NFT_DYNSET_OP_ADD] = "add", [NFT_DYNSET_OP_UPDATE] = "update",
	[NFT_DYNSET_OP_DELETE] = "delete",
};

static void dynset_print(FILE *f, const struct nfk_expr *e)
{
	const struct nlattr *list = e->tb[NFTA_DYNSET_EXPRESSIONS];

	fprintf(f, "dynset %s reg_key %u set %s",
		NFK_NAME(dynset_ops, nfk_e_u32(e, NFTA_DYNSET_OP), "unknown"),
		nfk_e_u32(e, NFTA_DYNSET_SREG_KEY), nfk_e_str(e, NFTA_DYNSET_SET_NAME));
	if (nfk_e_has(e, NFTA_DYNSET_SREG_DATA))
		fprintf(f, " sreg_data %u", nfk_e_u32(e, NFTA_DYNSET_SREG_DATA));
	if (nfk_e_has(e, NFTA_DYNSET_TIMEOUT))
		fprintf(f, " timeout %" PRIu64 "ms", nfk_e_u64(e, NFTA_DYNSET_TIMEOUT));
	if (nfk_e_has(e, NFTA_DYNSET_EXPR)) {
		fputc(' ', f);
		nfk_expr_print_nested(f, e->tb[NFTA_DYNSET_EXPR]);
	}
	if (list) {
		nfk_attr_for_each(a, rem, nfk_attr_data(list), nfk_attr_len(list)) {
			fputc(' ', f);
			nfk_expr_print_nested(f, a);
		}
	}
}

const struct nfk_expr_type nfk_expr_dynset = { .name = "dynset", .schema = &dynset_schema, .print = dynset_print };
