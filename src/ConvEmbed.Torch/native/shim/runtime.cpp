// Process-wide settings: errors, threads, seeds, grad mode, devices.
#include "shim.h"
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/detail/CUDAHooksInterface.h>
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
    case 5: return at::kBFloat16;
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
    case at::kBFloat16: return 5;
    default: return -1;
  }
}
}  // namespace ce

CE_API const char* ce_last_error() { return ce::g_error.c_str(); }

CE_API int ce_set_num_threads(int n) { CE_VOID(at::set_num_threads(n)) }
CE_API int ce_get_num_threads() { return at::get_num_threads(); }
CE_API int ce_manual_seed(int64_t seed) { CE_VOID(at::manual_seed(seed)) }

// Grad mode is thread-local in libtorch, as NoGrad scopes are in C#.
CE_API int ce_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
CE_API void ce_set_grad_enabled(int on) { c10::GradMode::set_enabled(on != 0); }

// Asking CUDA can throw (a broken driver, a libtorch built for another CUDA): -1 with the reason in ce_last_error.
CE_API int ce_cuda_available() { CE_TRY return torch::cuda::is_available() ? 1 : 0; CE_CATCH(-1) }
CE_API int ce_cuda_compiled() { return at::hasCUDA() ? 1 : 0; }
// Whether the current CUDA device computes convolutions in bf16 natively (compute capability 8.0 or newer, with
// cuDNN 8): the hook libtorch's CUDA library implements; a CPU-only libtorch answers 0. -1 when asking fails.
CE_API int ce_cuda_bf16_supported() {
  CE_TRY
  if (!at::hasCUDA()) return 0;
  return at::detail::getCUDAHooks().supportsBFloat16ConvolutionWithCuDNNv8() ? 1 : 0;
  CE_CATCH(-1)
}
CE_API const char* ce_torch_version() { return TORCH_VERSION; }

// Autocast (libtorch's own, thread-local like grad mode): inside an enabled region, ops on the device run in the
// precision libtorch's autocast policy gives them (convolutions and matrix products in the lower dtype).
// device: 0 cpu, 1 cuda. ce_autocast_state returns whether it is enabled and writes the dtype code.
CE_API int ce_autocast_state(int device, int* dtype) {
  CE_TRY
  bool cpu = device == 0;
  *dtype = ce::dtype_to_code(cpu ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype());
  return (cpu ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled()) ? 1 : 0;
  CE_CATCH(-1)
}

namespace {
void set_autocast(int device, int enabled, int dtype) {
  auto type = ce::dtype_from_code(dtype);
  if (device == 0) {
    at::autocast::set_autocast_cpu_dtype(type);
    at::autocast::set_cpu_enabled(enabled != 0);
  } else {
    at::autocast::set_autocast_gpu_dtype(type);
    at::autocast::set_enabled(enabled != 0);
  }
}
}  // namespace

// Sets the state and enters one nesting level (as torch.autocast's __enter__ does).
CE_API int ce_autocast_enter(int device, int enabled, int dtype) {
  CE_TRY
  set_autocast(device, enabled, dtype);
  at::autocast::increment_nesting();
  return 0;
  CE_CATCH(-1)
}

// Leaves one nesting level, restoring the given state; the outermost exit drops the cached casts of the weights.
CE_API int ce_autocast_exit(int device, int enabled, int dtype) {
  CE_TRY
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast(device, enabled, dtype);
  return 0;
  CE_CATCH(-1)
}
