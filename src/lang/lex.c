// SPDX-License-Identifier: MIT
/* The nft lexer.  Keywords are not tokens of their own: nft's keywords
 * are contextual, so the parser compares words.  Numbers, addresses and
 * identifiers are all words; the type of the context parses them. */
#include <ctype.h>
#include <string.h>

#include "ast.h"

void nfk_lex_init(struct nfk_lexer *lx, const struct nfk_src *src)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->end = src->len;
	lx->line = 1;
	lx->col = 1;
}

static int peekc(const struct nfk_lexer *lx, size_t k)
{
	return lx->pos + k < lx->end ? (unsigned char)lx->src->text[lx->pos + k] : 0;
}

static void advance(struct nfk_lexer *lx, size_t n)
{
	while (n-- && lx->pos < lx->end) {
		if (lx->src->text[lx->pos] == '\n') {
			lx->line++;
			lx->col = 1;
			lx->line_start = lx->pos + 1;
		} else {
			lx->col++;
		}
		lx->pos++;
	}
}

static bool is_word_start(int c)
{
	return isalpha(c) || c == '_' || c == '.';
}

static bool is_word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-' || c == '/';
}

static bool is_hex(int c)
{
	return isxdigit(c);
}

/* Length of a dotted-quad IPv4 address at s, or 0. */
static size_t ip4_len(const char *s, size_t n)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t d = 0;
		while (i < n && isdigit((unsigned char)s[i]) && d < 3)
			i++, d++;
		if (!d)
			return 0;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
	}
	if (i < n && (isalnum((unsigned char)s[i]) || s[i] == '.'))
		return 0;
	return i;
}

/* Length of an IPv6 or MAC-like address (hex groups and colons, maybe an
 * embedded dotted quad) at s, or 0 when it is not one. */
static size_t colon_addr_len(const char *s, size_t n)
{
	size_t i = 0, colons = 0;

	while (i < n && (is_hex((unsigned char)s[i]) || s[i] == ':' || s[i] == '.')) {
		if (s[i] == ':')
			colons++;
		i++;
	}
	if (colons < 2)
		return 0;
	/* "a:b" without "::" needs at least 2 colons, which 1.2.3.4:80 has not */
	return i;
}

/* "dead::beef": hex digits up to the first colon. */
static bool ip6_hexstart(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && isxdigit((unsigned char)s[i]))
		i++;
	return i < n && s[i] == ':' && i <= 4;
}

/* "1:1234", "bcad:dada": a tc class id. */
static size_t classid_len(const char *s, size_t n)
{
	size_t i = 0, a = 0, b = 0;

	while (i < n && isxdigit((unsigned char)s[i]) && a < 5)
		i++, a++;
	if (!a || a > 4 || i >= n || s[i] != ':')
		return 0;
	i++;
	while (i < n && isxdigit((unsigned char)s[i]) && b < 5)
		i++, b++;
	if (!b || b > 4 || (i < n && (isalnum((unsigned char)s[i]) || s[i] == ':' || s[i] == '.')))
		return 0;
	return i;
}

void nfk_lex_next(struct nfk_lexer *lx, struct nfk_tok *t)
{
	const char *text = lx->src->text;

	while (lx->pos < lx->end) {
		int c = peekc(lx, 0);
		if (c == ' ' || c == '\t' || c == '\r')
			advance(lx, 1);
		else if (c == '\\' && peekc(lx, 1) == '\n')
			advance(lx, 2);
		else if (c == '#') {
			while (lx->pos < lx->end && peekc(lx, 0) != '\n')
				advance(lx, 1);
		} else
			break;
	}
	memset(t, 0, sizeof(*t));
	t->loc.src = lx->src;
	t->loc.line = lx->line;
	t->loc.col = lx->col;
	t->loc.offset = lx->pos;
	t->s = text + lx->pos;
	if (lx->pos >= lx->end) {
		t->kind = T_EOF;
		t->loc.col_end = t->loc.col;
		return;
	}
	int c = peekc(lx, 0), c1 = peekc(lx, 1);
	size_t n = 1;
	const char *s = text + lx->pos;
	size_t rem = lx->end - lx->pos;

	if (c == '\n') {
		t->kind = T_NL;
	} else if (c == '"') {
		n = 1;
		while (n < rem && s[n] != '"' && s[n] != '\n')
			n++;
		if (n >= rem || s[n] != '"') {
			t->kind = T_ERR;
		} else {
			t->kind = T_STRING;
			n++;
		}
	} else if ((c == '$' || c == '@') && (is_word_start(c1) || isdigit(c1))) {
		t->kind = c == '$' ? T_VAR : T_SETREF;
		while (n < rem && (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '.' ||
				   s[n] == '-' || s[n] == '/'))
			n++;
	} else if (c == ':' && c1 == ':') {
		t->kind = T_WORD;
		n = colon_addr_len(s, rem);
		if (!n)
			n = 2;
	} else if (isdigit(c) && (n = ip4_len(s, rem)) && (n >= rem || s[n] != ':')) {
		/* the common case of huge element lists, decided early */
		t->kind = T_WORD;
	} else if ((n = 1) && isxdigit(c) && classid_len(s, rem)) {
		t->kind = T_WORD;
		n = classid_len(s, rem);
	} else if (isdigit(c)) {
		size_t a = colon_addr_len(s, rem), b = ip4_len(s, rem);
		t->kind = T_WORD;
		if (a && !(b && a > b && s[b] == ':' && !memchr(s, ':', b) &&
			   colon_addr_len(s + b, rem - b) == 0)) {
			n = a;
		} else if (b) {
			n = b;
		} else {
			n = 0;
			while (n < rem && (isalnum((unsigned char)s[n]) || s[n] == '_' ||
					   (s[n] == '.' && n + 1 < rem && isalnum((unsigned char)s[n + 1]))))
				n++;
		}
	} else if (c == '.' && !isalnum(c1)) {
		t->kind = '.';
	} else if (is_word_start(c) && isxdigit(c) && colon_addr_len(s, rem) &&
		   ip6_hexstart(s, rem)) {
		t->kind = T_WORD;
		n = colon_addr_len(s, rem);
	} else if (is_word_start(c)) {
		t->kind = T_WORD;
		while (n < rem && is_word_char((unsigned char)s[n])) {
			/* a '/' or '-' must be followed by a word character: "10/second" */
			if ((s[n] == '/' || s[n] == '-') &&
			    !(n + 1 < rem && (isalnum((unsigned char)s[n + 1]) || s[n + 1] == '_')))
				break;
			/* "ip6 saddr" in "meta nfproto ip6/..." is rare; prefixes of
			 * words (ether/ip) are not followed by '/' */
			if (s[n] == '/')
				break;
			n++;
		}
	} else if (c < 0x20 || c >= 0x7f || strchr("%`'?~\\", c)) {
		/* bytes nft's scanner has no rule for (NUL, control, non-ASCII,
		 * a few punctuation marks): "junk"; a NUL must not end the input */
		t->kind = T_ERR;
	} else {
		static const struct { char s[3]; int kind; } ops[] = {
			{ "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE },
			{ "<<", T_SHL }, { ">>", T_SHR },
		};
		t->kind = c;
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (c == ops[i].s[0] && c1 == ops[i].s[1]) {
				t->kind = ops[i].kind;
				n = 2;
			}
	}
	advance(lx, n);
	t->len = n;
	t->loc.col_end = t->loc.col + (n ? n - 1 : 0);
}


size_t nfk_tok_copy(char *dst, size_t size, const struct nfk_tok *t)
{
	size_t n = t->len < size ? t->len : size - 1;

	memcpy(dst, t->s, n);
	dst[n] = '\0';
	return t->len;
}

/* Words nft's grammar knows as keywords: "unexpected KEYWORD" names them. */
static const char *const keywords[] = {
	"table", "chain", "rule", "set", "map", "element", "elements", "counter", "quota",
	"limit", "flowtable", "ruleset", "add", "create", "insert", "replace", "delete",
	"destroy", "flush", "list", "get", "reset", "rename", "type", "hook", "priority",
	"policy", "device", "devices", "flags", "comment", "timeout", "size", "accept", "drop",
	"reject", "jump", "goto", "return", "continue", "queue", "log", "dnat", "snat",
	"masquerade", "redirect", "to", "with", "tcp", "udp", "ip", "ip6", "inet", "arp",
	"bridge", "netdev", "meta", "ct", "icmp", "icmpv6", "ether", "vlan", "th", "iif",
	"oif", "iifname", "oifname", "mark", "state", "vmap", "define", "include", "handle",
	"position", "index", "packets", "bytes", "rate", "burst", "prefix", "level", "group",
	"typeof", "auto-merge", "gc-interval", "tables", "chains", "sets", "maps", "counters",
	"quotas", "limits", "protocol", "saddr", "daddr", "sport", "dport", "nfproto",
	"l4proto", "status", "original", "reply", "notrack", "over", "until", "used",
	"interval", "constant", "dynamic", "offload", "redefine", "undefine", "synproxy",
	"mss", "wscale", "timestamp", "l3proto", "helper", "helpers", "expectation",
	"secmark",
};

void nfk_tok_describe(const struct nfk_tok *t, char *buf, size_t len)
{
	switch (t->kind) {
	case T_EOF: snprintf(buf, len, "end of file"); return;
	case T_NL: snprintf(buf, len, "newline"); return;
	case T_STRING: snprintf(buf, len, "quoted string"); return;
	case T_VAR: snprintf(buf, len, "variable"); return;
	case T_SETREF: snprintf(buf, len, "string"); return;
	case T_EQ: snprintf(buf, len, "=="); return;
	case T_NE: snprintf(buf, len, "!="); return;
	case T_LE: snprintf(buf, len, "<="); return;
	case T_GE: snprintf(buf, len, ">="); return;
	case T_SHL: snprintf(buf, len, "<<"); return;
	case T_SHR: snprintf(buf, len, ">>"); return;
	case T_ERR: snprintf(buf, len, "junk"); return;
	/* nft's scanner has named tokens for these three */
	case ';': snprintf(buf, len, "semicolon"); return;
	case ',': snprintf(buf, len, "comma"); return;
	case ':': snprintf(buf, len, "colon"); return;
	case T_WORD: {
		bool digits = true;
		for (uint32_t i = 0; i < t->len; i++)
			if (!isdigit((unsigned char)t->s[i]))
				digits = false;
		/* nft's scanner reads a number past 64 bits as a string */
		if (digits && (t->len < 20 || (t->len == 20 && memcmp(t->s, "18446744073709551615", 20) <= 0))) {
			snprintf(buf, len, "number");
			return;
		}
		if (nfk_tok_is(t, "sack-perm")) {   /* nft's token name */
			snprintf(buf, len, "sack-permitted");
			return;
		}
		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (nfk_tok_is(t, keywords[i])) {
				snprintf(buf, len, "%s", keywords[i]);
				return;
			}
		snprintf(buf, len, "string");
		return;
	}
	default:
		snprintf(buf, len, "'%c'", t->kind);
	}
}

/* Skips a brace block without lexing it: the caller stands right after
 * '{'.  Strings and comments may hold braces.  Returns the offset of the
 * closing '}' (the lexer is left after it), or -1 at the end of input. */
long nfk_lex_skip_block(struct nfk_lexer *lx)
{
	const char *text = lx->src->text;
	size_t pos = lx->pos, end = lx->end, ls = lx->line_start;
	uint32_t line = lx->line;
	int depth = 1;
	long close = -1;

	while (pos < end) {
		char ch = text[pos++];
		if (ch == '\n') {
			line++;
			ls = pos;
		} else if (ch == '"') {
			while (pos < end && text[pos] != '"' && text[pos] != '\n')
				pos++;
			if (pos < end && text[pos] == '"')
				pos++;
		} else if (ch == '#') {
			while (pos < end && text[pos] != '\n')
				pos++;
		} else if (ch == '{') {
			depth++;
		} else if (ch == '}' && !--depth) {
			close = (long)pos - 1;
			break;
		}
	}
	lx->pos = pos;
	lx->line = line;
	lx->line_start = ls;
	lx->col = (uint32_t)(pos - ls) + 1;
	return close;
}
