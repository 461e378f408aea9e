// SPDX-License-Identifier: MIT
#include <linux/netfilter/nf_log.h>

#include "expr.h"

static const struct nfk_field log_fields[] = {
	F(NFTA_LOG_GROUP, "group", NFK_BE16),
	F(NFTA_LOG_PREFIX, "prefix", NFK_STR, .maxlen = 128),
	F(NFTA_LOG_SNAPLEN, "snaplen", NFK_BE32),
	F(NFTA_LOG_QTHRESHOLD, "qthreshold", NFK_BE16),
	F(NFTA_LOG_LEVEL, "level", NFK_BE32),
	F(NFTA_LOG_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
static const struct nfk_schema log_schema = NFK_SCHEMA("log", log_fields);

/* Indexed by bit number of NF_LOG_* (0x10 is NF_LOG_NAT, never printed). */
static const char *const log_flag_names[] = {
	"tcpseq", "tcpopt", "ipopt", "uid", NULL, "macdecode",
};

static void log_print(FILE *f, const struct nfk_expr *e)
{
	uint32_t flags = nfk_e_u32(e, NFTA_LOG_FLAGS);

	fputs("log", f);
	if (nfk_e_has(e, NFTA_LOG_PREFIX))
		fprintf(f, " prefix %s", nfk_e_str(e, NFTA_LOG_PREFIX));
	/* Group (nflog) and level (syslog) exclude each other. */
	if (nfk_e_has(e, NFTA_LOG_GROUP)) {
		fprintf(f, " group %u snaplen %u qthreshold %u", nfk_e_u32(e, NFTA_LOG_GROUP),
			nfk_e_u32(e, NFTA_LOG_SNAPLEN), nfk_e_u32(e, NFTA_LOG_QTHRESHOLD));
		return;
	}
	if (nfk_e_has(e, NFTA_LOG_LEVEL))
		fprintf(f, " level %u", nfk_e_u32(e, NFTA_LOG_LEVEL));
	for (unsigned i = 0; i < sizeof(log_flag_names) / sizeof(log_flag_names[0]); i++)
		if ((flags & (1u << i)) && log_flag_names[i])
			fprintf(f, " %s", log_flag_names[i]);
}

const struct nfk_expr_type nfk_expr_log = { .name = "log", .schema = &log_schema, .print = log_print };
