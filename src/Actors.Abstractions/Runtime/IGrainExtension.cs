namespace Actors.Runtime;

/// <summary>
/// Marks an interface whose calls every grain answers, whether or not its class implements it (Orleans'
/// <c>IGrainExtension</c>): infrastructure such as stream delivery reaches an activation through it. The silo creates
/// the implementing object once per activation from the factory registered with <c>AddGrainExtension</c>.
/// </summary>
/// <remarks>
/// A reference to an extension is made with <see cref="IGrainFactory.GetGrain{TGrainInterface}(GrainId)"/> on the exact
/// grain id (its type half must name a registered grain class). A call activates the grain like any call and follows the
/// grain's scheduling rules; the extension object lives as long as the activation. Unlike Orleans (where it derives
/// from <c>IAddressable</c> only) it derives from <see cref="IGrain"/>, so the grain factory makes references to it.
/// </remarks>
public interface IGrainExtension : IGrain
{
}
