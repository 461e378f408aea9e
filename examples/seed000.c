// SPDX-License-Identifier: MIT
/*
 * The seed 000 program (a table, a base chain, a set with two elements and
 * two rules, in one atomic batch) rewritten with nfkit.  The first rule is
 * built from raw kernel expressions, as the original did with libnftnl;
 * the second from nft text.  Run it inside a throwaway network namespace:
 *   unshare -n ./seed000
 */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>

#include <nfkit/nfkit.h>

#define T "testfirewall"

int main(void)
{
	/* policy left zero: the kernel's default, accept */
	struct nfk_chain_opts input = { .sz = sizeof(input), .type = "filter",
					.hooknum = NF_INET_LOCAL_IN };
	struct nfk_set_opts trusted = { .sz = sizeof(trusted), .key_type = "ipv4_addr" };
	struct nfk_ctx *ctx;
	struct nfk_txn *txn;
	struct nfk_rule *r;
	const char *why;
	int ret;

	if (nfk_ctx_new(&ctx) || nfk_txn_new(ctx, &txn) || nfk_rule_new(&r))
		return 1;

	/* ip saddr @trusted_ips accept, from expressions */
	nfk_rule_expr(r, "payload");
	nfk_rule_expr_uint(r, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nfk_rule_expr_uint(r, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER);
	nfk_rule_expr_uint(r, NFTA_PAYLOAD_OFFSET, 12);
	nfk_rule_expr_uint(r, NFTA_PAYLOAD_LEN, 4);
	nfk_rule_expr_end(r);
	nfk_rule_expr(r, "lookup");
	nfk_rule_expr_uint(r, NFTA_LOOKUP_SREG, NFT_REG_1);
	nfk_rule_expr_str(r, NFTA_LOOKUP_SET, "trusted_ips");
	nfk_rule_expr_end(r);
	nfk_rule_expr(r, "immediate");
	nfk_rule_expr_uint(r, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	nfk_rule_expr_verdict(r, NFTA_IMMEDIATE_DATA, NF_ACCEPT, NULL);
	ret = nfk_rule_expr_end(r);

	ret = ret ? ret : nfk_txn_add_table(txn, NFPROTO_INET, T);
	ret = ret ? ret : nfk_txn_add_set(txn, NFPROTO_INET, T, "trusted_ips", &trusted);
	ret = ret ? ret : nfk_txn_add_elements(txn, NFPROTO_INET, T, "trusted_ips",
					       "192.168.1.1, 192.168.1.2");
	ret = ret ? ret : nfk_txn_add_chain(txn, NFPROTO_INET, T, "input", &input);
	ret = ret ? ret : nfk_txn_add_rule(txn, NFPROTO_INET, T, "input", r);
	ret = ret ? ret : nfk_txn_add_text(txn, "add rule inet " T " input drop");
	ret = ret ? ret : nfk_txn_commit(txn);

	for (size_t i = 0; i < nfk_txn_nerrors(txn); i++)
		if (nfk_txn_error(txn, i, NULL, &why) < 0)
			fprintf(stderr, "seed000: %s\n", why);
	if (ret == 0)
		ret = nfk_ctx_list(ctx, stdout, NFPROTO_INET, T);
	nfk_rule_free(r);
	nfk_txn_free(txn);
	nfk_ctx_free(ctx);
	return ret ? 1 : 0;
}
