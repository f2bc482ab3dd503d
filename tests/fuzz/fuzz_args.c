/* Fuzz target: a command line against the real command table. The input is split into words on newline and NUL
 * bytes (the first word picks the command, as argv[0] does after the program name); cmd_parse runs on them, every
 * flag the chosen command declares (and the global ones) is read back with its typed reader, help is rendered
 * when asked for, and args_free releases everything (LeakSanitizer checks that nothing stays). */
#include "core/cmd/cmd.h"
#include "fuzz.h"

#define FUZZ_WORDS_MAX 200

/* Reads one declared flag with the reader of its type and checks what the reader promises. */
static void fuzz_read_flag(const struct args *a, const struct flag_spec *f)
{
	const char *key = f->key ? f->key : f->name;
	struct err e = {0};
	int n = args_count(a, key);
	FUZZ_CHECK(n >= 0 && n <= a->n);
	FUZZ_CHECK(args_has(a, key) == (n > 0));
	switch (f->type) {
	case FLAG_BOOL:
		FUZZ_CHECK(args_get(a, key) == NULL);
		break;
	case FLAG_STRING:
		FUZZ_CHECK((args_get(a, key) != NULL) == (n > 0));
		break;
	case FLAG_COUNT:
	case FLAG_INT: {
		long long v;
		if (args_int(a, key, 7, &v, &e) == 0) {
			FUZZ_CHECK(n > 0 || v == 7);
			FUZZ_CHECK(f->type != FLAG_COUNT || v >= 0);
		} else {
			FUZZ_CHECK(n > 0 && e.code == EXIT_USAGE && e.msg[0]);
		}
		(void)args_int_or(a, key, 0);
		break;
	}
	case FLAG_SECONDS: {
		double d;
		if (args_seconds(a, key, 1.5, &d, &e) == 0)
			FUZZ_CHECK(n == 0 ? d == 1.5 : d >= 0 && d <= (double)f->max && (!f->positive || d > 0));
		else
			FUZZ_CHECK(n > 0 && e.code == EXIT_USAGE && e.msg[0]);
		break;
	}
	case FLAG_ENUM: {
		const char *v;
		if (args_enum(a, key, &v, &e) == 0)
			FUZZ_CHECK((v != NULL) == (n > 0));
		else
			FUZZ_CHECK(n > 0 && e.code == EXIT_USAGE && e.msg[0]);
		break;
	}
	case FLAG_JSON: {
		const cJSON *j;
		if (args_json(a, key, &j, &e) == 0)
			FUZZ_CHECK(j == NULL || cJSON_IsObject(j));
		else
			FUZZ_CHECK(n > 0 && e.code == EXIT_USAGE && e.msg[0]);
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char *argv[FUZZ_WORDS_MAX + 1];
	int argc = 0;
	for (size_t start = 0, i = 0; i <= size && argc < FUZZ_WORDS_MAX; i++) {
		if (i == size || text[i] == '\n' || text[i] == '\0') {
			text[i] = '\0';
			argv[argc++] = text + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;

	struct args a;
	const struct cmd_entry *entry;
	const struct cmd_group *group;
	struct err e = {0};
	enum cmd_parsed parsed = cmd_parse("conveyor", argc, argv, &a, &entry, &group, &e);
	if (parsed == CMD_PARSE_ERROR) {
		FUZZ_CHECK(e.code == EXIT_USAGE && e.msg[0]);
	} else if (parsed == CMD_PARSE_HELP) {
		struct sb help;
		sb_init(&help);
		cmd_help("conveyor", entry, group, &help);
		FUZZ_CHECK(help.len > 0);
		sb_free(&help);
	} else {
		FUZZ_CHECK(parsed == CMD_PARSE_RUN && entry != NULL && a.word == argv[0]);
		FUZZ_CHECK(!group || (a.action && strcmp(a.action, entry->action) == 0));
		FUZZ_CHECK(a.n >= 0 && a.n <= ARGS_MAX);
		for (int i = 0; i < a.n; i++)
			FUZZ_CHECK(a.v[i].key && a.v[i].spec && (a.v[i].value != NULL) == (a.v[i].spec->type != FLAG_BOOL));
		for (const struct flag_spec *f = entry->flags; f && f->name; f++)
			fuzz_read_flag(&a, f);
		for (const struct flag_spec *f = cmd_global_flags; f->name; f++)
			fuzz_read_flag(&a, f);
	}
	args_free(&a);
	free(text);
	return 0;
}
