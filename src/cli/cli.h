#ifndef CONVEYOR_CLI_H
#define CONVEYOR_CLI_H
/* The headless command line: parse, run the handler, print its result. */

int cli_main(int argc, char **argv);

#endif
