// Process-wide settings: errors, threads, seeds, grad mode, devices.
#include "shim.h"
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

namespace ce {
static thread_local std::string g_error;
void set_error(const char* msg) { g_error = msg ? msg : ""; }

// Codes shared with C# ScalarType enum.
at::ScalarType dtype_from_code(int code) {
  switch (code) {
    case 0: return at::kFloat;
    case 1: return at::kHalf;
    case 2: return at::kLong;
    case 3: return at::kDouble;
    case 4: return at::kBool;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(code));
}
int dtype_to_code(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return 0;
    case at::kHalf: return 1;
    case at::kLong: return 2;
    case at::kDouble: return 3;
    case at::kBool: return 4;
    default: return -1;
  }
}
}  // namespace ce

CE_API const char* ce_last_error() { return ce::g_error.c_str(); }

CE_API int ce_set_num_threads(int n) { CE_VOID(at::set_num_threads(n)) }
CE_API int ce_get_num_threads() { return at::get_num_threads(); }
CE_API int ce_manual_seed(int64_t seed) { CE_VOID(at::manual_seed(seed)) }

// Grad mode is thread-local in libtorch, as NoGrad scopes are in C#.
CE_API int ce_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
CE_API void ce_set_grad_enabled(int on) { at::GradMode::set_enabled(on != 0); }

// Asking CUDA can throw (a broken driver, a libtorch built for another CUDA): -1 with the reason in ce_last_error.
CE_API int ce_cuda_available() { CE_TRY return torch::cuda::is_available() ? 1 : 0; CE_CATCH(-1) }
CE_API int ce_cuda_compiled() { return at::hasCUDA() ? 1 : 0; }
CE_API const char* ce_torch_version() { return TORCH_VERSION; }
