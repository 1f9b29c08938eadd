#include "pipeline/plan.h"
