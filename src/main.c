/* conveyor: supervise coding-agent worker sessions from one SQLite ledger. */
#include "cli/cli.h"
#include "cli/heap.h"

/* Entry point: tune the allocator, then everything happens in cli_main. */
int main(int argc, char **argv)
{
	heap_tune();
	return cli_main(argc, argv);
}
