// SPDX-License-Identifier: MIT
#include "expr.h"

/* libnftnl sends both names without a NUL (the kernel takes NLA_STRING
 * either way), so they are bytes here and printed by length. */

static const struct nfk_field objref_fields[] = {
	F(NFTA_OBJREF_IMM_TYPE, "imm_type", NFK_BE32),
	F(NFTA_OBJREF_IMM_NAME, "imm_name", NFK_BIN, .maxlen = 256),
	F(NFTA_OBJREF_SET_SREG, "set_sreg", NFK_BE32),
	F(NFTA_OBJREF_SET_NAME, "set_name", NFK_BIN, .maxlen = 256),
	F(NFTA_OBJREF_SET_ID, "set_id", NFK_BE32),
};
static const struct nfk_schema objref_schema = NFK_SCHEMA("objref", objref_fields);

static void objref_print(FILE *f, const struct nfk_expr *e)
{
	if (nfk_e_has(e, NFTA_OBJREF_SET_SREG))
		fprintf(f, "objref sreg %u set %.*s", nfk_e_u32(e, NFTA_OBJREF_SET_SREG),
			nfk_e_strn(e, NFTA_OBJREF_SET_NAME), nfk_e_str_raw(e, NFTA_OBJREF_SET_NAME));
	else
		fprintf(f, "objref type %u name %.*s", nfk_e_u32(e, NFTA_OBJREF_IMM_TYPE),
			nfk_e_strn(e, NFTA_OBJREF_IMM_NAME), nfk_e_str_raw(e, NFTA_OBJREF_IMM_NAME));
}

const struct nfk_expr_type nfk_expr_objref = { .name = "objref", .schema = &objref_schema, .print = objref_print };
