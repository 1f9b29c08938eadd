/* The sandbox ("pause") process of every pod in the e2e cluster: it holds the pod's
 * namespaces, reaps orphans and leaves on SIGINT/SIGTERM. Built with gcc -static. */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void leave(int sig) { (void)sig; _exit(0); }

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction term = {0}, child = {0};
  term.sa_handler = leave;
  sigaction(SIGINT, &term, NULL);
  sigaction(SIGTERM, &term, NULL);
  child.sa_handler = reap;
  child.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  sigaction(SIGCHLD, &child, NULL);
  for (;;) pause();
}
