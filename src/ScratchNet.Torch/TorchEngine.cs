namespace ScratchNet.Torch;

public static class TorchEngine
{
    public static string Version => TorchSharp.torch.__version__;
}
