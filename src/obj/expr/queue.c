// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field queue_fields[] = {
	F(NFTA_QUEUE_NUM, "num", NFK_BE16),
	F(NFTA_QUEUE_TOTAL, "total", NFK_BE16),
	F(NFTA_QUEUE_FLAGS, "flags", NFK_BE16, .flags = NFK_F_HEX),
	F(NFTA_QUEUE_SREG_QNUM, "sreg_qnum", NFK_BE32),
};
static const struct nfk_schema queue_schema = NFK_SCHEMA("queue", queue_fields);

static void queue_print(FILE *f, const struct nfk_expr *e)
{
	uint32_t num = nfk_e_u32(e, NFTA_QUEUE_NUM), total = nfk_e_u32(e, NFTA_QUEUE_TOTAL);
	uint32_t flags = nfk_e_u32(e, NFTA_QUEUE_FLAGS);

	fputs("queue", f);
	if (nfk_e_has(e, NFTA_QUEUE_NUM)) {
		if (total > 1)
			fprintf(f, " num %u-%u", num, num + total - 1);
		else
			fprintf(f, " num %u", num);
	}
	if (nfk_e_has(e, NFTA_QUEUE_SREG_QNUM))
		fprintf(f, " sreg_qnum %u", nfk_e_u32(e, NFTA_QUEUE_SREG_QNUM));
	if (flags & NFT_QUEUE_FLAG_BYPASS)
		fputs(" bypass", f);
	if (flags & NFT_QUEUE_FLAG_CPU_FANOUT)
		fputs(" fanout", f);
}

const struct nfk_expr_type nfk_expr_queue = { .name = "queue", .schema = &queue_schema, .print = queue_print };
