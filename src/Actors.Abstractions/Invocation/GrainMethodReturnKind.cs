namespace Actors.Invocation;

/// <summary>The four return shapes a grain method may have.</summary>
public enum GrainMethodReturnKind
{
    /// <summary><see cref="System.Threading.Tasks.Task"/>.</summary>
    Task,

    /// <summary><see cref="System.Threading.Tasks.Task{TResult}"/>.</summary>
    TaskOfT,

    /// <summary><see cref="System.Threading.Tasks.ValueTask"/>.</summary>
    ValueTask,

    /// <summary><see cref="System.Threading.Tasks.ValueTask{TResult}"/>.</summary>
    ValueTaskOfT,

    /// <summary><c>void</c>: only on observer interfaces, where it means a one-way notification.</summary>
    Void,
}
