/* SPDX-License-Identifier: MIT */
#ifndef NFK_API_RULE_H
#define NFK_API_RULE_H

#include "obj/schema.h"

struct nfk_rule {
	struct nfk_buf b;                 /* NFTA_LIST_ELEM entries */
	const struct nfk_expr_type *type; /* of the open expression */
	size_t elem_off, data_off;        /* nests of the open expression */
	bool open;
	char *comment;
};

#endif
