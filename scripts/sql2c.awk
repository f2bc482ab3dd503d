# Turns a text file into a C string constant named by -v name=...; used for the embedded schema.
BEGIN { printf "const char %s[] =\n", name }
{
	gsub(/\\/, "\\\\")
	gsub(/"/, "\\\"")
	printf "\t\"%s\\n\"\n", $0
}
END { print "\t\"\";" }
