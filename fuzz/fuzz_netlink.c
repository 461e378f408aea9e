// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the netlink decoder.  The input is read three ways:
 * as an attribute stream (validate, index, decode -> encode must give the
 * same bytes), as a stream of netlink messages (nf_tables messages
 * validated against their schemas and printed, acks parsed), and as the
 * payload of one object chosen by the first byte (schema validate and
 * print, expression lists printed).  None of it may crash, and the
 * stream checks must agree with each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl/nl.h"
#include "nl/nl_sock.h"
#include "obj/objects.h"
#include "obj/schema.h"

static FILE *sink;

static const struct nfk_schema *const schemas[] = {
	&nfk_table_schema, &nfk_chain_schema, &nfk_rule_schema, &nfk_set_schema,
	&nfk_setelem_list_schema, &nfk_setelem_schema, &nfk_obj_schema, &nfk_flowtable_schema,
	&nfk_gen_schema, &nfk_trace_schema, &nfk_expr_schema, &nfk_data_schema,
};
#define NSCHEMAS (sizeof(schemas) / sizeof(schemas[0]))

/* Re-encodes a valid stream attribute by attribute: every header and
 * payload must come out as it went in (padding is re-zeroed). */
static void check_reencode(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 17];
	struct nfk_buf b;
	size_t off = 0;

	nfk_buf_init(&b, out, sizeof(out));
	nfk_attr_for_each(a, rem, data, size) {
		if (!nfk_attr_put(&b, a->nla_type, nfk_attr_data(a), nfk_attr_len(a)) ||
		    memcmp(out + off, a, a->nla_len) != 0)
			abort();
		off = b.len;
	}
	if (b.len != NFK_ALIGN(size))
		abort();
}

static void as_stream(const uint8_t *data, size_t size)
{
	const struct nlattr *tb[NFK_EXPR_MAXATTR + 1];
	int ret = nfk_attr_validate_stream(data, size);

	if (nfk_attr_index(data, size, tb, NFK_EXPR_MAXATTR) != ret)
		abort();
	if (ret == 0 && size <= 65536)
		check_reencode(data, size);
	for (unsigned t = 0; t <= NFK_EXPR_MAXATTR; t++) {
		uint64_t v64;
		uint32_t v32;

		if (!tb[t])
			continue;
		(void)nfk_attr_get_be64(tb[t], &v64);
		(void)nfk_attr_get_be32(tb[t], &v32);
		(void)nfk_attr_get_str(tb[t]);
	}
}

static void as_messages(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
	size_t rem = size;

	while (rem >= NLMSG_HDRLEN && nlh->nlmsg_len >= NLMSG_HDRLEN && nlh->nlmsg_len <= rem) {
		struct nfk_verr err;
		struct nfk_nlerr e;
		size_t step;

		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (nfk_nlerr_parse(nlh, &e) == 0 && e.msg &&
			    (e.msg < (const char *)nlh || e.msg >= (const char *)nlh + nlh->nlmsg_len))
				abort();
		} else if (nfk_msg_validate(nlh, &err) == 0) {
			const struct nfk_schema *s = nfk_msg_schema(nlh->nlmsg_type & 0xff);
			const void *attrs;
			size_t len;

			attrs = nfk_msg_attrs(nlh, &len);
			if (s && attrs)
				nfk_schema_print(sink, s, attrs, len);
		} else if (err.offset > nlh->nlmsg_len) {
			abort();
		}
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= rem)
			break;
		rem -= step;
		nlh = (const struct nlmsghdr *)((const uint8_t *)nlh + step);
	}
}

static void as_object(const uint8_t *data, size_t size)
{
	const struct nfk_schema *s;
	struct nfk_verr err;

	if (size < 4)
		return;
	s = schemas[data[0] % NSCHEMAS];
	/* Keep the payload 4-aligned, as it always is inside a message. */
	data += 4;
	size -= 4;
	if (nfk_schema_validate(s, data, size, &err) < 0 && err.offset > size)
		abort();
	nfk_schema_print(sink, s, data, size);
	nfk_exprs_print(sink, data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* libFuzzer's buffer has no alignment promise; netlink data has. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	if (!sink)
		sink = fopen("/dev/null", "w");
	memcpy(copy, data, size);
	as_stream(copy, size);
	as_messages(copy, size);
	as_object(copy, size);
	free(copy);
	return 0;
}
