#include "runner/command.h"

int main(int argc, char** argv) { return podrunner::runCli(argc, argv); }
