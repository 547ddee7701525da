// Neural-network functionals: convolution, normalisation, activations over dims, losses.
#include "shim.h"

namespace {
// Optional tensors come from C# as nullptr.
c10::optional<at::Tensor> opt(TensorH t) { return t ? c10::optional<at::Tensor>(*t) : c10::nullopt; }
}  // namespace

CE_API TensorH ce_conv1d(TensorH x, TensorH w, TensorH b, int64_t stride, int64_t padding, int64_t dilation,
                         int64_t groups) {
  CE_TENSOR(at::conv1d(*x, *w, opt(b), {stride}, {padding}, {dilation}, groups))
}
CE_API TensorH ce_linear(TensorH x, TensorH w, TensorH b) { CE_TENSOR(at::linear(*x, *w, opt(b))) }

// In training mode the running statistics are updated in place, as torch.nn.functional.batch_norm does.
CE_API TensorH ce_batch_norm(TensorH x, TensorH rm, TensorH rv, TensorH w, TensorH b, int training,
                             double momentum, double eps) {
  CE_TENSOR(at::batch_norm(*x, opt(w), opt(b), opt(rm), opt(rv), training != 0, momentum, eps,
                           /*cudnn_enabled=*/true))
}
CE_API TensorH ce_layer_norm(TensorH x, const int64_t* shape, int nd, TensorH w, TensorH b, double eps) {
  CE_TENSOR(at::layer_norm(*x, at::IntArrayRef(shape, (size_t)nd), opt(w), opt(b), eps))
}
CE_API TensorH ce_softmax(TensorH x, int64_t dim) { CE_TENSOR(at::softmax(*x, dim)) }
CE_API TensorH ce_log_softmax(TensorH x, int64_t dim) { CE_TENSOR(at::log_softmax(*x, dim)) }
// x / max(||x||_p, eps) along dim, as torch.nn.functional.normalize.
CE_API TensorH ce_normalize(TensorH x, double p, int64_t dim, double eps) {
  CE_TENSOR(*x / x->norm(p, {dim}, /*keepdim=*/true).clamp_min(eps).expand_as(*x))
}
// Targets are class indices (int64) or class probabilities (same dtype as logits); mean reduction.
CE_API TensorH ce_cross_entropy(TensorH logits, TensorH target, double label_smoothing) {
  CE_TENSOR(at::cross_entropy_loss(*logits, *target, {}, at::Reduction::Mean, -100, label_smoothing))
}
CE_API TensorH ce_mse_loss(TensorH a, TensorH b) { CE_TENSOR(at::mse_loss(*a, *b, at::Reduction::Mean)) }
CE_API TensorH ce_norm(TensorH x, double p) { CE_TENSOR(x->norm(p)) }
