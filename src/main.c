/* conveyor: supervise coding-agent worker sessions from one SQLite ledger. */
#include "cli/cli.h"

/* Entry point: everything happens in cli_main. */
int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
