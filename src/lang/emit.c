// SPDX-License-Identifier: MIT
/* Expression encoding: one NFTA_LIST_ELEM nest per kernel expression, each
 * integer attribute written with the width and byte order its schema
 * (src/obj/expr/) gives.  Encoding never allocates. */
#include "family.h"

bool cc_expr_begin(struct nfk_buf *b, struct ebuf *e, const char *name)
{
	e->elem = nfk_nest_start(b, NFTA_LIST_ELEM);
	if (!e->elem || !nfk_attr_put_str(b, NFTA_EXPR_NAME, name))
		return false;
	e->data = nfk_nest_start(b, NFTA_EXPR_DATA);
	return e->data != NULL;
}

bool cc_expr_end(struct nfk_buf *b, struct ebuf *e)
{
	nfk_nest_end(b, e->data);
	nfk_nest_end(b, e->elem);
	return true;
}

bool cc_put_data(struct nfk_buf *b, uint16_t type, const void *v, unsigned len)
{
	struct nlattr *n = nfk_nest_start(b, type);

	if (!n || !nfk_attr_put(b, NFTA_DATA_VALUE, v, len))
		return false;
	nfk_nest_end(b, n);
	return true;
}

bool cc_put_verdict(struct nfk_buf *b, uint16_t type, int code, const char *chain)
{
	struct nlattr *n = nfk_nest_start(b, type), *v;

	if (!n || !(v = nfk_nest_start(b, NFTA_DATA_VERDICT)))
		return false;
	if (!nfk_schema_put_uint(b, &nfk_verdict_schema, NFTA_VERDICT_CODE, (uint32_t)code))
		return false;
	if (chain && !nfk_attr_put_str(b, NFTA_VERDICT_CHAIN, chain))
		return false;
	nfk_nest_end(b, v);
	nfk_nest_end(b, n);
	return true;
}

bool cc_emit_meta_load(struct nfk_buf *b, unsigned key, unsigned dreg)
{
	struct ebuf e;

	return cc_expr_begin(b, &e, "meta") && nfk_schema_put_uint(b, nfk_expr_meta.schema, NFTA_META_KEY, key) &&
	       nfk_schema_put_uint(b, nfk_expr_meta.schema, NFTA_META_DREG, dreg) && cc_expr_end(b, &e);
}

bool cc_emit_payload_load(struct nfk_buf *b, unsigned base, unsigned off, unsigned len,
			      unsigned dreg)
{
	struct ebuf e;

	return cc_expr_begin(b, &e, "payload") && nfk_schema_put_uint(b, nfk_expr_payload.schema, NFTA_PAYLOAD_DREG, dreg) &&
	       nfk_schema_put_uint(b, nfk_expr_payload.schema, NFTA_PAYLOAD_BASE, base) &&
	       nfk_schema_put_uint(b, nfk_expr_payload.schema, NFTA_PAYLOAD_OFFSET, off) &&
	       nfk_schema_put_uint(b, nfk_expr_payload.schema, NFTA_PAYLOAD_LEN, len) && cc_expr_end(b, &e);
}

bool cc_emit_cmp(struct nfk_buf *b, unsigned sreg, unsigned op, const void *v, unsigned len)
{
	struct ebuf e;

	return cc_expr_begin(b, &e, "cmp") && nfk_schema_put_uint(b, nfk_expr_cmp.schema, NFTA_CMP_SREG, sreg) &&
	       nfk_schema_put_uint(b, nfk_expr_cmp.schema, NFTA_CMP_OP, op) && cc_put_data(b, NFTA_CMP_DATA, v, len) &&
	       cc_expr_end(b, &e);
}

bool cc_emit_bitwise(struct nfk_buf *b, unsigned reg, const void *mask, const void *xor,
			 unsigned len)
{
	struct ebuf e;

	return cc_expr_begin(b, &e, "bitwise") && nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_SREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_DREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_LEN, len) &&
	       cc_put_data(b, NFTA_BITWISE_MASK, mask, len) &&
	       cc_put_data(b, NFTA_BITWISE_XOR, xor, len) && cc_expr_end(b, &e);
}

bool cc_emit_range(struct nfk_buf *b, unsigned reg, unsigned op, const void *lo,
		       const void *hi, unsigned len)
{
	struct ebuf e;

	return cc_expr_begin(b, &e, "range") && nfk_schema_put_uint(b, nfk_expr_range.schema, NFTA_RANGE_SREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_range.schema, NFTA_RANGE_OP, op) &&
	       cc_put_data(b, NFTA_RANGE_FROM_DATA, lo, len) &&
	       cc_put_data(b, NFTA_RANGE_TO_DATA, hi, len) && cc_expr_end(b, &e);
}

bool cc_emit_byteorder(struct nfk_buf *b, unsigned reg, unsigned len)
{
	struct ebuf e;
	unsigned size = len == 2 || len == 4 || len == 8 ? len : 4;

	return cc_expr_begin(b, &e, "byteorder") && nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_SREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_DREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_OP, NFT_BYTEORDER_HTON) &&
	       nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_LEN, len) &&
	       nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_SIZE, size) && cc_expr_end(b, &e);
}

bool cc_emit_immediate(struct nfk_buf *b, unsigned dreg, const void *v, unsigned len)
{
	struct ebuf e;

	return cc_expr_begin(b, &e, "immediate") && nfk_schema_put_uint(b, nfk_expr_immediate.schema, NFTA_IMMEDIATE_DREG, dreg) &&
	       cc_put_data(b, NFTA_IMMEDIATE_DATA, v, len) && cc_expr_end(b, &e);
}

bool cc_emit_verdict(struct nfk_buf *b, int code, const char *chain)
{
	struct ebuf e;

	return cc_expr_begin(b, &e, "immediate") &&
	       nfk_schema_put_uint(b, nfk_expr_immediate.schema, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT) &&
	       cc_put_verdict(b, NFTA_IMMEDIATE_DATA, code, chain) && cc_expr_end(b, &e);
}

bool cc_emit_lookup(struct nfk_buf *b, const char *set, uint32_t id, unsigned sreg,
			int dreg, bool inv)
{
	struct ebuf e;

	if (!cc_expr_begin(b, &e, "lookup") || !nfk_attr_put_str(b, NFTA_LOOKUP_SET, set))
		return false;
	if (id && !nfk_schema_put_uint(b, nfk_expr_lookup.schema, NFTA_LOOKUP_SET_ID, id))
		return false;
	if (!nfk_schema_put_uint(b, nfk_expr_lookup.schema, NFTA_LOOKUP_SREG, sreg))
		return false;
	if (dreg >= 0 && !nfk_schema_put_uint(b, nfk_expr_lookup.schema, NFTA_LOOKUP_DREG, dreg))
		return false;
	if (inv && !nfk_schema_put_uint(b, nfk_expr_lookup.schema, NFTA_LOOKUP_FLAGS, NFT_LOOKUP_F_INV))
		return false;
	return cc_expr_end(b, &e);
}

bool cc_emit_shift(struct nfk_buf *b, unsigned reg, int op, uint32_t n, unsigned len)
{
	struct ebuf e;

	return cc_expr_begin(b, &e, "bitwise") && nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_SREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_DREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_OP, op == T_SHL ? NFT_BITWISE_LSHIFT : NFT_BITWISE_RSHIFT) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_LEN, len) &&
	       cc_put_data(b, NFTA_BITWISE_DATA, &n, 4) && cc_expr_end(b, &e);
}
