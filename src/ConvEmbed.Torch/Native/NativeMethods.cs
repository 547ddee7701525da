using System.Runtime.InteropServices;

namespace ConvEmbed.Torch.Native;

/// <summary>The shim's flat C API (native/shim/*.cpp). Tensor results are null on failure, ints are -1.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = NativeLibraryLoader.LibraryName;

    static NativeMethods() => NativeLibraryLoader.Register();

    // ---- runtime.cpp
    [LibraryImport(Lib)] internal static partial IntPtr ce_last_error();
    [LibraryImport(Lib)] internal static partial int ce_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int ce_get_num_threads();
    [LibraryImport(Lib)] internal static partial int ce_manual_seed(long seed);
    [LibraryImport(Lib)] internal static partial int ce_grad_enabled();
    [LibraryImport(Lib)] internal static partial void ce_set_grad_enabled(int on);
    [LibraryImport(Lib)] internal static partial int ce_cuda_available();
    [LibraryImport(Lib)] internal static partial int ce_cuda_compiled();
    [LibraryImport(Lib)] internal static partial int ce_cuda_bf16_supported();
    [LibraryImport(Lib)] internal static partial IntPtr ce_torch_version();
    [LibraryImport(Lib)] internal static partial int ce_autocast_state(int device, int* dtype);
    [LibraryImport(Lib)] internal static partial int ce_autocast_enter(int device, int enabled, int dtype);
    [LibraryImport(Lib)] internal static partial int ce_autocast_exit(int device, int enabled, int dtype);

    // ---- tensor_core.cpp
    [LibraryImport(Lib)] internal static partial void ce_tensor_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_from_data(void* data, long* shape, int ndim, int dtype, int device);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_zeros(long* shape, int ndim, int dtype, int device);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_ones(long* shape, int ndim, int dtype, int device);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_full(long* shape, int ndim, double value, int dtype, int device);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_randn(long* shape, int ndim, int dtype, int device);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_rand(long* shape, int ndim, int dtype, int device);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_arange(long start, long end, long step, int dtype, int device);
    [LibraryImport(Lib)] internal static partial int ce_tensor_ndim(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ce_tensor_shape(TensorHandle t, long* shape);
    [LibraryImport(Lib)] internal static partial int ce_tensor_dtype(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ce_tensor_device(TensorHandle t);
    [LibraryImport(Lib)] internal static partial long ce_tensor_numel(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ce_tensor_copy_to(TensorHandle t, void* data, long nbytes, int dtype);
    [LibraryImport(Lib)] internal static partial int ce_tensor_item(TensorHandle t, double* value);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_to(TensorHandle t, int dtype, int device);
    [LibraryImport(Lib)] internal static partial int ce_tensor_move_data(TensorHandle t, int device);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_clone(TensorHandle t);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_contiguous(TensorHandle t);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_detach(TensorHandle t);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_alias(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ce_tensor_requires_grad(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ce_tensor_set_requires_grad(TensorHandle t, int on);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_tensor_grad(TensorHandle t, int* defined);
    [LibraryImport(Lib)] internal static partial int ce_tensor_zero_grad(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ce_tensor_backward(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ce_tensor_copy_(TensorHandle t, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int ce_tensor_zero_(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ce_tensor_fill_(TensorHandle t, double v);
    [LibraryImport(Lib)] internal static partial int ce_tensor_mul_scalar_(TensorHandle t, double v);
    [LibraryImport(Lib)] internal static partial int ce_tensor_mul_(TensorHandle t, TensorHandle o);
    [LibraryImport(Lib)] internal static partial int ce_tensor_add_(TensorHandle t, TensorHandle o, double alpha);
    [LibraryImport(Lib)] internal static partial int ce_tensor_addcmul_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] internal static partial int ce_tensor_addcdiv_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] internal static partial int ce_tensor_uniform_(TensorHandle t, double lo, double hi);

    // ---- tensor_math.cpp
    [LibraryImport(Lib)] internal static partial TensorHandle ce_binary(int op, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_binary_scalar(int op, TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_unary(int op, TensorHandle a);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_reduce(int op, TensorHandle a, long* dims, int ndims, int keepdim, int unbiased);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_argmax(TensorHandle a, long dim, int keepdim);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_cat(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_stack(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_narrow(TensorHandle a, long dim, long start, long length);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_transpose(TensorHandle a, long d0, long d1);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_permute(TensorHandle a, long* dims, int ndims);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_reshape(TensorHandle a, long* shape, int ndims);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_expand(TensorHandle a, long* shape, int ndims);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_unsqueeze(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_squeeze(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_index_select(TensorHandle a, long dim, TensorHandle index);

    // ---- nn_ops.cpp (optional tensors are passed as IntPtr, zero for "none")
    [LibraryImport(Lib)] internal static partial TensorHandle ce_conv1d(TensorHandle x, TensorHandle w, IntPtr b, long stride, long padding, long dilation, long groups);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_linear(TensorHandle x, TensorHandle w, IntPtr b);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_batch_norm(TensorHandle x, IntPtr runningMean, IntPtr runningVar, IntPtr w, IntPtr b, int training, double momentum, double eps);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_layer_norm(TensorHandle x, long* shape, int ndims, IntPtr w, IntPtr b, double eps);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_softmax(TensorHandle x, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_log_softmax(TensorHandle x, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_normalize(TensorHandle x, double p, long dim, double eps);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_cross_entropy(TensorHandle logits, TensorHandle target, double labelSmoothing);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_mse_loss(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle ce_norm(TensorHandle x, double p);
}
