using System.Text;

namespace ScratchNet.Torch.Tests;

public class ElfVersionNeedsTests
{
    [Fact]
    public void Reads_every_need_with_its_file_version_and_flags()
    {
        byte[] elf = SyntheticElf.WithVersionNeeds(("libc.so.6", ["GLIBC_2.34", "GLIBC_2.2.5"]), ("libstdc++.so.6", ["GLIBCXX_3.4.30", "GLIBCXX_3.4.32", "CXXABI_1.3"]));

        var needs = ElfVersionNeeds.Read(elf);

        Assert.Equal(
            ["libc.so.6:GLIBC_2.34", "libc.so.6:GLIBC_2.2.5", "libstdc++.so.6:GLIBCXX_3.4.30", "libstdc++.so.6:GLIBCXX_3.4.32", "libstdc++.so.6:CXXABI_1.3"],
            needs.Select(n => $"{n.File}:{n.Version}"));
        Assert.All(needs, n => Assert.False(n.IsWeak));
    }

    [Fact]
    public void MarkWeak_sets_only_the_weak_flag_of_the_named_version_and_is_idempotent()
    {
        byte[] elf = SyntheticElf.WithVersionNeeds(("libstdc++.so.6", ["GLIBCXX_3.4.30", "GLIBCXX_3.4.32", "CXXABI_1.3"]));
        byte[] original = (byte[])elf.Clone();

        Assert.Equal(1, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));

        var patched = ElfVersionNeeds.Read(elf);
        Assert.Equal([false, true, false], patched.Select(n => n.IsWeak));
        var target = patched[1];
        Assert.Equal(ElfVersionNeeds.VerFlagWeak, target.Flags);
        int[] changedBytes = Enumerable.Range(0, elf.Length).Where(i => elf[i] != original[i]).ToArray();
        Assert.Equal([(int)target.FlagsOffset], changedBytes);

        byte[] once = (byte[])elf.Clone();
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(once, elf);
    }

    [Fact]
    public void MarkWeak_changes_nothing_when_the_version_is_not_needed()
    {
        byte[] elf = SyntheticElf.WithVersionNeeds(("libstdc++.so.6", ["GLIBCXX_3.4.30"]));
        byte[] original = (byte[])elf.Clone();

        Assert.Equal(0, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(original, elf);
    }

    [Fact]
    public void Rejects_a_file_that_is_not_elf64_little_endian()
    {
        var notElf = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[64]));
        Assert.Contains("not an ELF file", notElf.Message, StringComparison.Ordinal);
        byte[] elf32 = SyntheticElf.WithVersionNeeds(("libc.so.6", ["GLIBC_2.34"]));
        elf32[4] = 1;
        Assert.Contains("64-bit little-endian", Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(elf32)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_truncated_section_table_instead_of_reading_past_the_end()
    {
        byte[] elf = SyntheticElf.WithVersionNeeds(("libc.so.6", ["GLIBC_2.34"]));
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(elf[..(elf.Length - 10)]));
    }

    [Fact]
    public void DefinesVersionString_matches_whole_nul_terminated_names_only()
    {
        byte[] library = Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.30\0GLIBCXX_3.4.320\0");
        Assert.True(ElfVersionNeeds.DefinesVersionString(library, "GLIBCXX_3.4.30"));
        Assert.False(ElfVersionNeeds.DefinesVersionString(library, "GLIBCXX_3.4.32"));
    }
}

/// <summary>Builds a minimal ELF64 LE image: header, .dynstr, .gnu.version_r and a 3-entry section table (null, dynstr, verneed).</summary>
internal static class SyntheticElf
{
    public static byte[] WithVersionNeeds(params (string File, string[] Versions)[] needs)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        int AddString(string s)
        {
            int offset = (int)strings.Length;
            strings.Write(Encoding.ASCII.GetBytes(s + "\0"));
            return offset;
        }

        var verneed = new MemoryStream();
        var writer = new BinaryWriter(verneed);
        for (int n = 0; n < needs.Length; n++)
        {
            var (file, versions) = needs[n];
            int entrySize = 16 + (16 * versions.Length);
            writer.Write((ushort)1);
            writer.Write((ushort)versions.Length);
            writer.Write(AddString(file));
            writer.Write(16); // vn_aux: the Vernaux entries follow
            writer.Write(n == needs.Length - 1 ? 0 : entrySize);
            for (int v = 0; v < versions.Length; v++)
            {
                writer.Write(0x12345678u + (uint)v); // vna_hash (not checked by the patcher)
                writer.Write((ushort)0);
                writer.Write((ushort)(2 + v));
                writer.Write(AddString(versions[v]));
                writer.Write(v == versions.Length - 1 ? 0 : 16);
            }
        }

        byte[] dynstr = strings.ToArray();
        byte[] versionNeeds = verneed.ToArray();
        long dynstrOffset = 64;
        long verneedOffset = dynstrOffset + dynstr.Length + 8 - (dynstr.Length % 8);
        long sectionTable = verneedOffset + versionNeeds.Length;
        var image = new byte[sectionTable + (3 * 64)];
        "\u007fELF"u8.CopyTo(image);
        image[4] = 2; // ELFCLASS64
        image[5] = 1; // ELFDATA2LSB
        image[6] = 1;
        BitConverter.TryWriteBytes(image.AsSpan(0x28), sectionTable);
        BitConverter.TryWriteBytes(image.AsSpan(0x3A), (ushort)64);
        BitConverter.TryWriteBytes(image.AsSpan(0x3C), (ushort)3);
        dynstr.CopyTo(image, dynstrOffset);
        versionNeeds.CopyTo(image, verneedOffset);
        WriteSection(image, sectionTable + 64, type: 3, dynstrOffset, dynstr.Length, link: 0);
        WriteSection(image, sectionTable + 128, type: 0x6ffffffe, verneedOffset, versionNeeds.Length, link: 1);
        return image;
    }

    private static void WriteSection(byte[] image, long at, uint type, long offset, long size, uint link)
    {
        var header = image.AsSpan((int)at, 64);
        BitConverter.TryWriteBytes(header[4..], type);
        BitConverter.TryWriteBytes(header[24..], offset);
        BitConverter.TryWriteBytes(header[32..], size);
        BitConverter.TryWriteBytes(header[40..], link);
    }
}
