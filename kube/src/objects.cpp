#include "kube/objects.h"
