using System.Text;

namespace RlTrainer.Trainer.Data.Generation;

/// <summary>
/// Writes one arithmetic step digit by digit, the way a person does it on paper, so that a tiny model only ever has
/// to add, subtract, multiply or divide single digits. Addition, subtraction and multiplication go column by column
/// from the right with the carry or borrow written out, then read the result off the columns; division is long
/// division from the left. Steps on single digits stay as one equation.
/// Examples: "47 + 38: 7 + 8 = 15, 4 + 3 + 1 = 8, so 85." · "52 - 17: 12 - 7 = 5, 5 - 1 - 1 = 3, so 35." ·
/// "67 * 8: 7 * 8 = 56, 6 * 8 + 5 = 53, so 536." · "536 / 8: 53 / 8 = 6 r 5, 56 / 8 = 7 r 0, so 67."
/// </summary>
public static class ColumnArithmetic
{
    /// <summary>The text of the step <paramref name="a"/> op <paramref name="b"/>, ending in ".".</summary>
    /// <remarks>Subtraction needs a ≥ b; division needs b in 1..9 and an exact quotient; multiplication a one-digit b.</remarks>
    public static string Step(int a, char op, int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(a);
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        int result = op switch
        {
            '+' => a + b,
            '-' => a >= b ? a - b : throw new ArgumentException($"{a} - {b} would be negative"),
            '*' => b <= 9 ? a * b : throw new ArgumentException($"multiplier {b} has more than one digit"),
            '/' => b is >= 1 and <= 9 && a % b == 0 ? a / b : throw new ArgumentException($"{a} / {b} is not an exact one-digit division"),
            _ => throw new ArgumentException($"unknown operation '{op}'"),
        };
        if (a < 10 && b < 10) return $"{a} {op} {b} = {result}.";
        var columns = op switch
        {
            '+' => AddColumns(a, b),
            '-' => SubtractColumns(a, b),
            '*' => MultiplyColumns(a, b),
            _ => DivideDigits(a, b),
        };
        return $"{a} {op} {b}: {string.Join(", ", columns)}, so {result}.";
    }

    /// Right to left: "x + y + carry = s"; the column's digit is s mod 10 and its carry s / 10.
    private static List<string> AddColumns(int a, int b)
    {
        var columns = new List<string>();
        int carry = 0;
        for (int place = 0; place < Math.Max(Digits(a), Digits(b)); place++)
        {
            int x = DigitAt(a, place), y = DigitAt(b, place), s = x + y + carry;
            columns.Add(carry > 0 ? $"{x} + {y} + {carry} = {s}" : $"{x} + {y} = {s}");
            carry = s / 10;
        }
        return columns;
    }

    /// Right to left: "x - y - borrow = d", with 10 added to x (written "1x") when it would go negative.
    private static List<string> SubtractColumns(int a, int b)
    {
        var columns = new List<string>();
        int borrow = 0;
        for (int place = 0; place < Digits(a); place++)
        {
            int x = DigitAt(a, place), y = DigitAt(b, place);
            bool lend = x - borrow < y;
            int top = lend ? x + 10 : x, d = top - y - borrow;
            columns.Add(borrow > 0 ? $"{top} - {y} - {borrow} = {d}" : $"{top} - {y} = {d}");
            borrow = lend ? 1 : 0;
        }
        return columns;
    }

    /// Right to left: "x * m + carry = s", carry s / 10.
    private static List<string> MultiplyColumns(int a, int m)
    {
        var columns = new List<string>();
        int carry = 0;
        for (int place = 0; place < Digits(a); place++)
        {
            int x = DigitAt(a, place), s = x * m + carry;
            columns.Add(carry > 0 ? $"{x} * {m} + {carry} = {s}" : $"{x} * {m} = {s}");
            carry = s / 10;
        }
        return columns;
    }

    /// Left to right: bring down digits until the part is at least the divisor, then "part / d = q r rest" per digit.
    private static List<string> DivideDigits(int a, int d)
    {
        var text = a.ToString();
        var columns = new List<string>();
        int part = 0, i = 0;
        while (i < text.Length - 1 && part * 10 + (text[i] - '0') < d) part = part * 10 + (text[i++] - '0');
        for (; i < text.Length; i++)
        {
            part = part * 10 + (text[i] - '0');
            columns.Add($"{part} / {d} = {part / d} r {part % d}");
            part %= d;
        }
        return columns;
    }

    private static int Digits(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;

    private static int DigitAt(int n, int place)
    {
        for (int i = 0; i < place; i++) n /= 10;
        return n % 10;
    }
}
