// SPDX-License-Identifier: MIT
#include <inttypes.h>

#include "expr.h"

static const struct nfk_field counter_fields[] = {
	F(NFTA_COUNTER_BYTES, "bytes", NFK_BE64),
	F(NFTA_COUNTER_PACKETS, "packets", NFK_BE64),
	F(NFTA_COUNTER_PAD, "pad", NFK_BIN),
};
static const struct nfk_schema counter_schema = NFK_SCHEMA("counter", counter_fields);

static void counter_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "counter pkts %" PRIu64 " bytes %" PRIu64, nfk_e_u64(e, NFTA_COUNTER_PACKETS),
		nfk_e_u64(e, NFTA_COUNTER_BYTES));
}

const struct nfk_expr_type nfk_expr_counter = { .name = "counter", .schema = &counter_schema, .print = counter_print };
