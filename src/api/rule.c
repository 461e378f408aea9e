// SPDX-License-Identifier: MIT
/* Rules built from kernel expressions.  The rule keeps the bytes of its
 * NFTA_RULE_EXPRESSIONS list; each expression's schema chooses how an
 * integer attribute is encoded. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "obj/expr/expr.h"
#include "rule.h"

NFK_API int nfk_rule_new(struct nfk_rule **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

NFK_API void nfk_rule_free(struct nfk_rule *rule)
{
	if (!rule)
		return;
	free(rule->b.data);
	free(rule->comment);
	free(rule);
}

/* Makes room for need more bytes; nests are kept as offsets, so moving
 * the buffer is safe. */
static int reserve(struct nfk_rule *r, size_t need)
{
	size_t cap = r->b.cap ? r->b.cap : 256;
	uint8_t *p;

	if (r->b.cap - r->b.len >= need)
		return 0;
	while (cap - r->b.len < need)
		cap *= 2;
	if (cap > UINT16_MAX * 2u)
		return -E2BIG;
	p = realloc(r->b.data, cap);
	if (!p)
		return -ENOMEM;
	r->b.data = p;
	r->b.cap = cap;
	return 0;
}

static struct nlattr *at(struct nfk_rule *r, size_t off)
{
	return (struct nlattr *)(r->b.data + off);
}

NFK_API int nfk_rule_expr(struct nfk_rule *rule, const char *name)
{
	struct nlattr *elem, *data;
	int ret;

	if (rule->open || strlen(name) >= 32)
		return -EINVAL;
	ret = reserve(rule, 64);
	if (ret)
		return ret;
	rule->type = nfk_expr_type_find(name);
	rule->elem_off = rule->b.len;
	elem = nfk_nest_start(&rule->b, NFTA_LIST_ELEM);
	if (!elem || !nfk_attr_put_str(&rule->b, NFTA_EXPR_NAME, name))
		return -ENOSPC;
	rule->data_off = rule->b.len;
	data = nfk_nest_start(&rule->b, NFTA_EXPR_DATA);
	if (!data)
		return -ENOSPC;
	rule->open = true;
	return 0;
}

NFK_API int nfk_rule_expr_uint(struct nfk_rule *rule, uint16_t attr, uint64_t value)
{
	int ret;

	if (!rule->open || !rule->type)
		return -EINVAL;
	ret = reserve(rule, 16);
	if (ret)
		return ret;
	return nfk_schema_put_uint(&rule->b, rule->type->schema, attr, value) ? 0 : -EINVAL;
}

NFK_API int nfk_rule_expr_str(struct nfk_rule *rule, uint16_t attr, const char *s)
{
	int ret;

	if (!rule->open)
		return -EINVAL;
	ret = reserve(rule, strlen(s) + 8);
	if (ret)
		return ret;
	return nfk_attr_put_str(&rule->b, attr, s) ? 0 : -ENOSPC;
}

NFK_API int nfk_rule_expr_data(struct nfk_rule *rule, uint16_t attr, const void *data, size_t len)
{
	struct nlattr *nest;
	int ret;

	if (!rule->open || len > NFT_DATA_VALUE_MAXLEN)
		return -EINVAL;
	ret = reserve(rule, len + 16);
	if (ret)
		return ret;
	nest = nfk_nest_start(&rule->b, attr);
	if (!nest || !nfk_attr_put(&rule->b, NFTA_DATA_VALUE, data, len))
		return -ENOSPC;
	nfk_nest_end(&rule->b, nest);
	return 0;
}

NFK_API int nfk_rule_expr_verdict(struct nfk_rule *rule, uint16_t attr, int code, const char *chain)
{
	struct nlattr *nest, *v;
	int ret;

	if (!rule->open)
		return -EINVAL;
	ret = reserve(rule, (chain ? strlen(chain) : 0) + 32);
	if (ret)
		return ret;
	nest = nfk_nest_start(&rule->b, attr);
	v = nest ? nfk_nest_start(&rule->b, NFTA_DATA_VERDICT) : NULL;
	if (!v || !nfk_schema_put_uint(&rule->b, &nfk_verdict_schema, NFTA_VERDICT_CODE, (uint32_t)code) ||
	    (chain && !nfk_attr_put_str(&rule->b, NFTA_VERDICT_CHAIN, chain)))
		return -ENOSPC;
	nfk_nest_end(&rule->b, v);
	nfk_nest_end(&rule->b, nest);
	return 0;
}

NFK_API int nfk_rule_expr_end(struct nfk_rule *rule)
{
	struct nlattr *data;

	if (!rule->open)
		return -EINVAL;
	data = at(rule, rule->data_off);
	nfk_nest_end(&rule->b, data);
	nfk_nest_end(&rule->b, at(rule, rule->elem_off));
	rule->open = false;
	/* The schema says which attributes the kernel insists on. */
	if (rule->type && nfk_schema_validate(rule->type->schema, nfk_attr_data(data),
					      nfk_attr_len(data), NULL) < 0) {
		rule->b.len = rule->elem_off;
		return -EINVAL;
	}
	return 0;
}

NFK_API int nfk_rule_set_comment(struct nfk_rule *rule, const char *comment)
{
	char *c = strdup(comment);

	if (!c)
		return -ENOMEM;
	free(rule->comment);
	rule->comment = c;
	return 0;
}

struct first_rule {
	const void *exprs;
	size_t len;
	size_t nmsgs;
};

static int find_rule(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct first_rule *fr = arg;
	const struct nlattr *a;
	const void *attrs;
	size_t len;
	(void)cookie;
	(void)index;

	fr->nmsgs++;
	if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWRULE)
		return 0;
	attrs = nfk_msg_attrs(nlh, &len);
	a = nfk_attr_find(attrs, len, NFTA_RULE_EXPRESSIONS);
	if (a) {
		fr->exprs = nfk_attr_data(a);
		fr->len = nfk_attr_len(a);
	}
	return 0;
}

NFK_API int nfk_rule_add_text(struct nfk_rule *rule, int family, const char *text)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_compile_opts o = { 0 };
	struct nfk_script *sc = NULL;
	struct nfk_batch *b = NULL;
	struct first_rule fr = { 0 };
	const char *fam = nfk_family_name((unsigned)family);
	char *src = NULL;
	int ret;

	if (rule->open || !fam)
		return -EINVAL;
	if (asprintf(&src, "add table %s nfk\nadd chain %s nfk nfk\nadd rule %s nfk nfk %s\n",
		     fam, fam, fam, text) < 0)
		return -ENOMEM;
	ret = nfk_script_parse(&sc, NULL, src, &ds);
	if (ret == 0)
		ret = nfk_batch_new(&b);
	if (ret == 0)
		ret = nfk_script_compile(sc, &o, b, &ds);
	if (ret == 0) {
		nfk_batch_for_each(b, find_rule, &fr);
		/* Statements needing their own objects (anonymous sets) cannot
		 * live inside a bare expression list. */
		if (fr.nmsgs != 3 || !fr.exprs)
			ret = -EOPNOTSUPP;
	}
	if (ret == 0)
		ret = reserve(rule, fr.len);
	if (ret == 0) {
		memcpy(rule->b.data + rule->b.len, fr.exprs, fr.len);
		rule->b.len += fr.len;
	}
	nfk_batch_free(b);
	nfk_script_free(sc);
	free(src);
	return ret;
}
