"""Drives a Sharelock server with the Python Azure Files SDK (Debian's python3-azure-storage).

Usage: python3 sdk_smoke.py <connection-string> <share-name>
Prints one JSON object with what it observed; exits non-zero (with a traceback) on any failure.
"""
import json
import os
import sys

from azure.core.exceptions import HttpResponseError
from azure.storage.fileshare import ShareServiceClient
from azure.storage.fileshare import __version__ as sdk_version


def error_of(call):
    """Runs call, which must fail; returns (status, error code)."""
    try:
        call()
    except HttpResponseError as err:
        return [err.status_code, err.error_code]
    raise AssertionError("the call was expected to fail")


def main():
    conn, share_name = sys.argv[1], sys.argv[2]
    out = {"sdk_version": sdk_version}
    service = ShareServiceClient.from_connection_string(conn)

    props = service.get_service_properties()
    out["service_properties"] = {
        "hour_metrics_enabled": props["hour_metrics"].enabled,
        "cors": len(props["cors"]),
        "smb_multichannel": props["protocol"].smb.multichannel.enabled,
    }

    share = service.create_share(share_name, metadata={"origin": "python"}, quota=3)
    out["duplicate_share"] = error_of(lambda: service.create_share(share_name))
    share_props = share.get_share_properties()
    out["share"] = {"quota": share_props.quota, "metadata": dict(share_props.metadata)}

    share.create_directory("dir")
    sub = share.get_directory_client("dir").create_subdirectory("sub")  # sent as dir%2Fsub
    sub.set_directory_metadata({"level": "two"})
    out["subdirectory_metadata"] = dict(sub.get_directory_properties().metadata)

    data = os.urandom(5 * 1024 * 1024 + 321)  # more than one 4 MiB range
    file_client = share.get_file_client("dir/sub/hello.bin")
    file_client.upload_file(data, metadata={"kind": "binary"})
    out["download_matches"] = file_client.download_file().readall() == data
    out["partial_download"] = file_client.download_file(offset=10, length=5).readall() == data[10:15]
    file_client.set_file_metadata({"kind": "changed", "Case": "Kept"})
    fprops = file_client.get_file_properties()
    out["file"] = {"size": fprops.size, "metadata": dict(fprops.metadata)}

    sparse = share.get_file_client("sparse.bin")
    sparse.create_file(1024 * 1024)
    sparse.upload_range(b"a" * 512, offset=0, length=512)
    sparse.upload_range(b"b" * 1024, offset=65536, length=1024)
    sparse.clear_range(offset=0, length=512)
    out["ranges"] = [[r["start"], r["end"]] for r in sparse.get_ranges()]

    out["listing"] = sorted(item["name"] for item in share.get_directory_client("dir/sub").list_directories_and_files())
    out["root_listing"] = sorted(
        (item["name"], item["is_directory"]) for item in share.list_directories_and_files()
    )
    out["listed_shares"] = [
        {"name": s.name, "metadata": dict(s.metadata or {})}
        for s in service.list_shares(name_starts_with=share_name, include_metadata=True)
    ]
    out["stats_bytes"] = share.get_share_stats()

    # File lease: writes without the lease id are refused; break frees the file.
    lease = file_client.acquire_lease()
    out["file_lease_state"] = file_client.get_file_properties().lease.state
    out["write_without_lease"] = error_of(lambda: file_client.set_file_metadata({"x": "y"}))
    file_client.set_file_metadata({"with": "lease"}, lease=lease)
    lease.break_lease()
    out["file_lease_after_break"] = file_client.get_file_properties().lease.state
    file_client.set_file_metadata({"after": "break"})

    # Share lease: deleting the share without the lease id is refused.
    share_lease = share.acquire_lease(lease_duration=-1)
    out["share_lease_state"] = share.get_share_properties().lease.state
    out["delete_share_without_lease"] = error_of(lambda: share.delete_share())
    share_lease.break_lease()
    out["share_lease_after_break"] = share.get_share_properties().lease.state

    file_client.delete_file()
    out["deleted_file_error"] = error_of(lambda: file_client.get_file_properties())
    out["non_empty_dir_delete"] = error_of(lambda: share.get_directory_client("dir").delete_directory())
    sub.delete_directory()
    share.get_directory_client("dir").delete_directory()
    share.delete_share()
    out["deleted_share_error"] = error_of(lambda: share.get_share_properties())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
