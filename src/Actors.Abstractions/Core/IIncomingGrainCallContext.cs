using System.Reflection;
using Actors.Runtime;

namespace Actors;

/// <summary>A call as an incoming filter sees it, in the called grain's activation (Orleans' <c>IIncomingGrainCallContext</c>).</summary>
public interface IIncomingGrainCallContext : IGrainCallContext
{
    /// <summary>The called grain's activation.</summary>
    IGrainContext TargetContext { get; }

    /// <summary>The grain class's method that implements <see cref="IGrainCallContext.InterfaceMethod"/>.</summary>
    MethodInfo ImplementationMethod { get; }
}
