-- Listing confirmations from the confirmation page (HSDS assured_date and who), one per
-- organization and campaign. Copied from $TMT_HOME/state/confirmations.sqlite by each build.
with

verifications as (
    select * from {{ source('directory', 'verification') }}
),

renamed as (
    select
        verification_id,
        organization_id,
        campaign,
        assured_date as confirmed_at,
        assurer as confirmed_by,
        token_issued_at as link_issued_at
    from verifications
)

select * from renamed
