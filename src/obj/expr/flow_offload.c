// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field flow_fields[] = {
	F(NFTA_FLOW_TABLE_NAME, "table_name", NFK_STR, .flags = NFK_F_REQUIRED, .maxlen = 256),
};
static const struct nfk_schema flow_schema = NFK_SCHEMA("flow_offload", flow_fields);

static void flow_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "flow_offload flowtable %s", nfk_e_str(e, NFTA_FLOW_TABLE_NAME));
}

const struct nfk_expr_type nfk_expr_flow_offload = { .name = "flow_offload", .schema = &flow_schema, .print = flow_print };
