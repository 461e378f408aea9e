// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field fib_fields[] = {
	F(NFTA_FIB_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_FIB_RESULT, "result", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_FIB_FLAGS, "flags", NFK_BE32, .flags = NFK_F_REQUIRED | NFK_F_HEX),
};
static const struct nfk_schema fib_schema = NFK_SCHEMA("fib", fib_fields);

/* Indexed by bit number of NFTA_FIB_F_*; "present" is printed apart. */
static const char *const fib_flag_names[] = { "saddr", "daddr", "mark", "iif", "oif" };

static const char *const fib_results[] = {
	[NFT_FIB_RESULT_OIF] = "oif", [NFT_FIB_RESULT_OIFNAME] = "oifname",
	[NFT_FIB_RESULT_ADDRTYPE] = "type",
};

static void fib_print(FILE *f, const struct nfk_expr *e)
{
	uint32_t flags = nfk_e_u32(e, NFTA_FIB_FLAGS);
	const char *sep = " ";

	fputs("fib", f);
	for (unsigned i = 0; i < sizeof(fib_flag_names) / sizeof(fib_flag_names[0]); i++) {
		if (!(flags & (1u << i)))
			continue;
		fprintf(f, "%s%s", sep, fib_flag_names[i]);
		sep = " . ";
	}
	fprintf(f, " %s", NFK_NAME(fib_results, nfk_e_u32(e, NFTA_FIB_RESULT), "unknown"));
	if (flags & NFTA_FIB_F_PRESENT)
		fputs(" present", f);
	fprintf(f, " => reg %u", nfk_e_u32(e, NFTA_FIB_DREG));
}

const struct nfk_expr_type nfk_expr_fib = { .name = "fib", .schema = &fib_schema, .print = fib_print };
