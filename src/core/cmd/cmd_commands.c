/* The commands about commands: `help` (the same text as --help) and `completion` (shell completion scripts). */
#include <string.h>

#include "core/cmd/cmd.h"

void completion_bash(struct sb *out);
void completion_zsh(struct sb *out);

/* Wraps a text in the result object the text form prints. */
static cJSON *cmd_text_result(struct sb *text)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "text", text->buf ? text->buf : "");
	sb_free(text);
	return r;
}

/* Prints the text of a help or completion result as it is. */
static void cmd_text_print(const cJSON *r, struct sb *out)
{
	sb_adds(out, cJSON_GetObjectItem(r, "text")->valuestring);
}

/* help [COMMAND [ACTION]]: the top-level usage, a group's actions, or a command's --help. */
static cJSON *cmd_help_run(struct ctx *c, const struct args *a, struct err *e)
{
	struct sb text;
	sb_init(&text);
	if (!a->positional) {
		cmd_usage(c->prog, &text);
		return cmd_text_result(&text);
	}
	const struct cmd_group *g = cmd_group_find(a->positional);
	const struct cmd_entry *entry = g && a->text ? cmd_find(a->positional, a->text) : cmd_find(a->positional, NULL);
	if (!g && !entry)
		return err_null(e, EXIT_USAGE, "unknown command: %s", a->positional);
	if (g && a->text && !entry)
		return err_null(e, EXIT_USAGE, "Unsupported %s action: %s", g->word, a->text);
	if (!g && a->text)
		return err_null(e, EXIT_USAGE, "Unexpected argument: %s", a->text);
	cmd_help(c->prog, entry, g, &text);
	return cmd_text_result(&text);
}

/* `help`. */
const struct cmd_entry cmd_help_entry = {
	.word = "help",
	.man = "conveyor",
	.usage = "help [COMMAND [ACTION]]",
	.summary = "Print the help of a command, the same as COMMAND [ACTION] --help (or the command list).",
	.help = "\nexample:\n  conveyor help campaign assign\n",
	.positional = "command",
	.pre = CMD_FIXED_OUT | CMD_TEXT_ARG,
	.run = cmd_help_run,
	.text = cmd_text_print,
};

/* completion bash|zsh: the completion script for that shell. */
static cJSON *cmd_completion_run(struct ctx *c, const struct args *a, struct err *e)
{
	(void)c;
	struct sb text;
	sb_init(&text);
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "completion requires a shell: bash or zsh");
	if (strcmp(a->positional, "bash") == 0)
		completion_bash(&text);
	else if (strcmp(a->positional, "zsh") == 0)
		completion_zsh(&text);
	else
		return err_null(e, EXIT_USAGE, "Unsupported completion shell: %s (bash or zsh)", a->positional);
	return cmd_text_result(&text);
}

/* `completion`. */
const struct cmd_entry cmd_completion = {
	.word = "completion",
	.man = "conveyor",
	.usage = "completion bash|zsh",
	.summary = "Print a shell completion script for commands, actions, flags and enum values.",
	.help = "make install puts them where bash-completion and zsh look. To try one in the current shell:\n"
		"\nexample:\n  source <(conveyor completion bash)\n",
	.positional = "shell",
	.pre = CMD_FIXED_OUT,
	.run = cmd_completion_run,
	.text = cmd_text_print,
};

/* The family's commands. */
const struct cmd_entry *const cmd_commands[] = {&cmd_help_entry, &cmd_completion, NULL};
