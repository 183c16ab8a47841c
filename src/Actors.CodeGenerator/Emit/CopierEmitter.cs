using Actors.CodeGenerator.Model;

namespace Actors.CodeGenerator.Emit;

/// <summary>Emits the copier half of a generated class (IDeepCopier and, for classes, IBaseCopier).</summary>
internal static class CopierEmitter
{
    public static void Emit(CodeWriter w, TypeModel type)
    {
        string t = type.FullName;
        using (w.Block($"public {t} DeepCopy({t} original, {Names.CopyContext} context)"))
        {
            if (type.IsShallowCopyable)
            {
                w.Line("return original;");
            }
            else if (type.IsValueType)
            {
                w.Line($"{t} result = Create();");
                CopyMembers(w, type, "original", "result");
                CodecEmitter.Hook(w, type, "OnCopied", "original, result");
                w.Line("return result;");
            }
            else
            {
                ClassCopy(w, type);
            }
        }

        w.Line();
        if (type.IsValueType)
        {
            return;
        }

        using (w.Block($"public void DeepCopy({t} input, {t} output, {Names.CopyContext} context)"))
        {
            if (type.BaseLayer == BaseLayerKind.Generated)
            {
                w.Line($"(_baseCopier ??= _provider.GetBaseCopier<{type.BaseFullName}>()).DeepCopy(input, output, context);");
            }

            CopyMembers(w, type, "input", "output");
        }

        w.Line();
    }

    private static void ClassCopy(CodeWriter w, TypeModel type)
    {
        string t = type.FullName;
        using (w.Block("if (original is null)"))
        {
            w.Line("return null;");
        }

        if (!type.IsSealed)
        {
            using (w.Block($"if (original.GetType() != typeof({t}))"))
            {
                w.Line("return context.DeepCopyRuntimeType(original);");
            }
        }

        if (type.IsImmutableLayout)
        {
            w.Line("return original;");
            return;
        }

        using (w.Block($"if (context.TryGetCopy(original, out {t} existing))"))
        {
            w.Line("return existing;");
        }

        w.Line($"{t} result = Create();");
        w.Line("context.RecordCopy(original, result);");
        w.Line("DeepCopy(original, result, context);");
        CodecEmitter.Hook(w, type, "OnCopied", "original, result");
        w.Line("return result;");
    }

    private static void CopyMembers(CodeWriter w, TypeModel type, string from, string to)
    {
        foreach (MemberModel m in type.Members)
        {
            string value = CodecEmitter.Get(type, m, from);
            if (!m.IsShallowCopyable)
            {
                value = $"(_copier{m.Id} ??= _provider.GetDeepCopier<{m.Type}>()).DeepCopy({value}, context)";
            }

            w.Line(CodecEmitter.Set(type, m, to, value));
        }
    }
}
