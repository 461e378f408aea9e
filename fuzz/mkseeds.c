// SPDX-License-Identifier: MIT
/*
 * Seed generator for the fuzz targets (not a fuzz target itself).
 *
 *   mkseeds PARSE_DIR NETLINK_DIR [--jsonl CORPUS.jsonl] [FILE.nft ...]
 *
 * Every input text (a ruleset file, or a conformance record's setup
 * commands followed by its `add rule`) is written to PARSE_DIR as it is,
 * and, when it compiles offline, its batch is written to NETLINK_DIR as
 * a stream of netlink messages shaped like what the kernel sends back:
 * each object gets a handle, and a NEWGEN message ends the stream.  The
 * first message's sequence number carries the listing options that
 * fuzz_netlink reads (see there); it varies from seed to seed.
 * Files are named by a hash of their content, so reruns do not duplicate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/conformance/corpus.h"
#include "lang/lang.h"

#define NETLINK_MAX 16384

static const char *parse_dir, *netlink_dir;
static unsigned nparse, nnetlink;

static uint64_t fnv1a(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void write_seed(const char *dir, const char *prefix, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%016llx", dir, prefix,
		 (unsigned long long)fnv1a(data, len));
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

struct kbuild {
	struct nfk_buf b;
	uint32_t seq;      /* fuzz_netlink's option bits */
	uint64_t handle;
	int family;        /* of the last message, for NEWGEN */
};

/* The attribute holding each object type's handle. */
static int handle_attr(uint16_t msg)
{
	switch (msg) {
	case NFT_MSG_NEWTABLE: return NFTA_TABLE_HANDLE;
	case NFT_MSG_NEWCHAIN: return NFTA_CHAIN_HANDLE;
	case NFT_MSG_NEWRULE: return NFTA_RULE_HANDLE;
	case NFT_MSG_NEWSET: return NFTA_SET_HANDLE;
	case NFT_MSG_NEWOBJ: return NFTA_OBJ_HANDLE;
	case NFT_MSG_NEWFLOWTABLE: return NFTA_FLOWTABLE_HANDLE;
	default: return -1;
	}
}

static int add_msg(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct kbuild *k = arg;
	const struct nfgenmsg *g = NLMSG_DATA(nlh);
	uint16_t msg = nlh->nlmsg_type & 0xff;
	int ha = handle_attr(msg);
	struct nlmsghdr *out;
	const void *attrs;
	size_t len, start = k->b.len;

	(void)index;
	(void)cookie;
	attrs = nfk_msg_attrs(nlh, &len);
	out = nfk_msg_put(&k->b, nlh->nlmsg_type, nlh->nlmsg_flags & ~NLM_F_ACK, k->seq,
			  g->nfgen_family, 0);
	if (!out)
		return 1;
	if (attrs && len) {
		if (k->b.cap - k->b.len < NFK_ALIGN(len)) {
			k->b.len = start;
			return 1;
		}
		memset(k->b.data + k->b.len, 0, NFK_ALIGN(len));
		memcpy(k->b.data + k->b.len, attrs, len);
		k->b.len += NFK_ALIGN(len);
	}
	if ((ha >= 0 && attrs && !nfk_attr_find(attrs, len, (uint16_t)ha) &&
	     !nfk_attr_put_be64(&k->b, (uint16_t)ha, ++k->handle))) {
		k->b.len = start;
		return 1;
	}
	nfk_msg_end(&k->b, out);
	k->family = g->nfgen_family;
	return 0;
}

static void add_gen(struct kbuild *k)
{
	size_t start = k->b.len;
	struct nlmsghdr *out = nfk_msg_put(&k->b, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWGEN, 0,
					   k->seq, NFPROTO_UNSPEC, 0);

	if (!out || !nfk_attr_put_be32(&k->b, NFTA_GEN_ID, 42) ||
	    !nfk_attr_put_be32(&k->b, NFTA_GEN_PROC_PID, 4242) ||
	    !nfk_attr_put_str(&k->b, NFTA_GEN_PROC_NAME, "nft")) {
		k->b.len = start;
		return;
	}
	nfk_msg_end(&k->b, out);
}

static void seed_text(const char *name, const char *text)
{
	static uint8_t mem[NETLINK_MAX];
	struct nfk_compile_opts o = { 0 };
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	struct nfk_batch *b = NULL;
	uint64_t h = fnv1a(text, strlen(text));

	if (parse_dir) {
		write_seed(parse_dir, "text", text, strlen(text));
		nparse++;
	}
	if (netlink_dir && nfk_script_parse(&sc, name, text, &ds) == 0 && nfk_batch_new(&b) == 0 &&
	    nfk_script_compile(sc, &o, b, &ds) == 0 && nfk_batch_count(b) > 0) {
		/* options: half of them plain listings (bits 0-13), and which
		 * commands are compiled against the sets (bits 16-23) */
		struct kbuild k = { .seq = (uint32_t)(h >> 20) & (h & 1 ? 0xff3fff : 0xff0003) };

		nfk_buf_init(&k.b, mem, sizeof(mem));
		nfk_batch_for_each(b, add_msg, &k);
		add_gen(&k);
		if (k.b.len) {
			write_seed(netlink_dir, "msgs", mem, k.b.len);
			nnetlink++;
		}
	}
	nfk_batch_free(b);
	nfk_script_free(sc);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			char *t = realloc(text, cap += 65536);

			if (!t) {
				free(text);
				fclose(f);
				return NULL;
			}
			text = t;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	text[len] = '\0';
	return text;
}

static int seed_jsonl(const char *path)
{
	struct corpus *c = corpus_open(path);
	const struct corpus_val *r;
	char *text = NULL;
	size_t cap = 0;

	if (!c) {
		perror(path);
		return -1;
	}
	while ((r = corpus_next(c))) {
		const char *fam = corpus_str(r, "family"), *table = corpus_str(r, "table");
		const char *chain = corpus_str(r, "chain"), *rule = corpus_str(r, "rule");
		const struct corpus_val *setup;
		size_t nsetup = corpus_arr(r, "setup", &setup), need, off = 0;

		if (!fam || !table || !chain || !rule)
			continue;
		need = strlen(fam) + strlen(table) + strlen(chain) + strlen(rule) + 32;
		for (size_t i = 0; i < nsetup; i++)
			need += setup[i].kind == CJ_STR ? strlen(setup[i].str) + 1 : 0;
		if (need > cap) {
			char *t = realloc(text, need);

			if (!t)
				break;
			text = t;
			cap = need;
		}
		for (size_t i = 0; i < nsetup; i++)
			if (setup[i].kind == CJ_STR)
				off += (size_t)sprintf(text + off, "%s\n", setup[i].str);
		sprintf(text + off, "add rule %s %s %s %s\n", fam, table, chain, rule);
		seed_text(NULL, text);
	}
	free(text);
	corpus_close(c);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PARSE_DIR NETLINK_DIR [--jsonl CORPUS.jsonl] [FILE.nft ...]\n",
			argv[0]);
		return 2;
	}
	/* the corpus assumes this zone (meta hour, meta time) */
	setenv("TZ", "UTC-2", 1);
	parse_dir = *argv[1] ? argv[1] : NULL;
	netlink_dir = *argv[2] ? argv[2] : NULL;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--jsonl") && i + 1 < argc) {
			if (seed_jsonl(argv[++i]) < 0)
				ret = 1;
			continue;
		}
		char *text = read_file(argv[i]);

		if (!text) {
			perror(argv[i]);
			ret = 1;
			continue;
		}
		seed_text(argv[i], text);
		free(text);
	}
	printf("mkseeds: %u parse seeds, %u netlink seeds\n", nparse, nnetlink);
	return ret;
}
